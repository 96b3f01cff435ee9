#!/usr/bin/env python3
"""Reads Waymark-exported plan files (MS Project XML, Primavera XER, ...) with MPXJ and prints,
as JSON, what MPXJ makes of each task: unique id, name, duration in days, start, finish and
predecessor links (type, lag in days). Exits 1 if MPXJ cannot read a file.

    pip install mpxj            # bundles the jars; needs Java 11+ (runs via JPype)
    python3 scripts/mpxj-check.py plan.xml plan.xer
"""
import json
import sys


def start_mpxj():
    import jpype
    import mpxj  # noqa: F401  (adds the MPXJ jars to the class path)

    if not jpype.isJVMStarted():
        jpype.startJVM(convertStrings=True)
    # MPXJ moved from net.sf.mpxj to org.mpxj in version 14.
    for package in ("org.mpxj", "net.sf.mpxj"):
        try:
            reader = jpype.JClass(package + ".reader.UniversalProjectReader")
            return package, reader, jpype.JClass(package + ".TimeUnit"), jpype.JClass(package + ".FieldTypeClass")
        except Exception:  # class not in this version
            continue
    raise RuntimeError("MPXJ's UniversalProjectReader not found under org.mpxj or net.sf.mpxj")


def days(duration, properties, time_unit):
    if duration is None:
        return None
    return round(float(duration.convertUnits(time_unit.DAYS, properties).getDuration()), 4)


def text(value):
    return None if value is None else str(value)


def predecessor_of(relation):
    # getPredecessorTask() in current MPXJ; getTargetTask() in older releases.
    for name in ("getPredecessorTask", "getTargetTask"):
        if hasattr(relation, name):
            return getattr(relation, name)()
    return None


def describe(path, reader_class, time_unit, field_type_class):
    project = reader_class().read(path)
    if project is None:
        raise RuntimeError("MPXJ does not recognise the file format")
    properties = project.getProjectProperties()
    nsi_field = None
    try:
        nsi_field = project.getCustomFields().getFieldTypeByAlias(field_type_class.TASK, "NSI Milestone")
    except Exception:
        pass
    tasks = []
    for task in project.getTasks():
        if task.getUniqueID() is None or (task.getUniqueID() == 0 and task.getOutlineLevel() == 0):
            continue  # MS Project's project summary task
        links = []
        for relation in task.getPredecessors() or []:
            predecessor = predecessor_of(relation)
            links.append({
                "predecessor": None if predecessor is None else int(predecessor.getUniqueID()),
                "external": bool(predecessor is not None and predecessor.getExternalTask()),
                "type": text(relation.getType()),
                "lag_days": days(relation.getLag(), properties, time_unit),
            })
        entry = {
            "unique_id": int(task.getUniqueID()),
            "name": text(task.getName()),
            "wbs": text(task.getWBS()),
            "summary": bool(task.getSummary()),
            "milestone": bool(task.getMilestone()),
            "duration_days": days(task.getDuration(), properties, time_unit),
            "start": text(task.getStart()),
            "finish": text(task.getFinish()),
            "constraint": text(task.getConstraintType()),
            "constraint_date": text(task.getConstraintDate()),
            "predecessors": links,
        }
        if nsi_field is not None:
            entry["nsi_milestone"] = text(task.get(nsi_field))
        tasks.append(entry)
    calendar = project.getDefaultCalendar()
    return {
        "path": path,
        "read_as": text(properties.getFileType()),
        "calendar": None if calendar is None else text(calendar.getName()),
        "calendar_exceptions": None if calendar is None else int(calendar.getCalendarExceptions().size()),
        "tasks": tasks,
    }


def main(paths):
    if not paths:
        print(__doc__, file=sys.stderr)
        return 2
    package, reader_class, time_unit, field_type_class = start_mpxj()
    results, failed = [], False
    for path in paths:
        try:
            results.append(describe(path, reader_class, time_unit, field_type_class))
        except Exception as error:  # MPXJ raises Java exceptions through JPype
            failed = True
            results.append({"path": path, "error": str(error)})
            print(f"MPXJ could not read {path}: {error}", file=sys.stderr)
    print(json.dumps({"mpxj_package": package, "files": results}, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
