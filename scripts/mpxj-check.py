#!/usr/bin/env python3
"""Reads Waymark-exported plan files (MS Project XML, Primavera XER, ...) with MPXJ and prints,
as JSON, what MPXJ makes of each task: unique id, name, duration in days, start, finish and
predecessor links (type, lag in days). Exits 1 if MPXJ cannot read (or schedule) a file.

    pip install mpxj JPype1     # mpxj bundles the jars; needs Java 11+ (runs via JPype)
    python3 scripts/mpxj-check.py plan.xml plan.xer
    python3 scripts/mpxj-check.py --schedule plan.xml plan.xer
    python3 scripts/mpxj-check.py --time plan.xml

--schedule also runs MPXJ's own critical path scheduler from the project start (its Microsoft
Project scheduler for MS Project XML, its Primavera scheduler for XER) and adds each task's early
start and finish dates ("early_start", "early_finish": YYYY-MM-DD; "early_start_time",
"early_finish_time": YYYY-MM-DDTHH:MM) and "scheduler" per file.
--time reads the MS Project XML file and writes it back with MPXJ's MSPDIWriter 5 times in one
JVM, then prints "seconds X": the median read + write time (JVM start excluded).
"""
import json
import statistics
import sys
import time


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


def day(value):
    return None if value is None else str(value.toLocalDate())


def run_scheduler(project, package):
    """Schedules `project` with MPXJ from its start date; returns the scheduler's name."""
    import jpype

    properties = project.getProjectProperties()
    primavera = str(properties.getFileType() or "").upper() in ("XER", "PMXML")
    name = "PrimaveraScheduler" if primavera else "MicrosoftScheduler"
    if not primavera:
        # MS Project reads a task without progress fields as not started; MPXJ's scheduler insists
        # on them, and Waymark (which tracks no progress) does not write them.
        zero = jpype.JClass(package + ".Duration").getInstance(0, jpype.JClass(package + ".TimeUnit").DAYS)
        for task in project.getTasks():
            if task.getDuration() is not None and task.getActualDuration() is None:
                task.setActualDuration(zero)
            if task.getDuration() is not None and task.getRemainingDuration() is None:
                task.setRemainingDuration(task.getDuration())
    start = properties.getStartDate()
    if start is None:
        raise RuntimeError("the project has no start date to schedule from")
    jpype.JClass(package + ".cpm." + name)().schedule(project, start)
    return name


def describe(path, reader_class, time_unit, field_type_class, package=None, schedule=False):
    project = reader_class().read(path)
    if project is None:
        raise RuntimeError("MPXJ does not recognise the file format")
    properties = project.getProjectProperties()
    scheduler = run_scheduler(project, package) if schedule else None
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
        if schedule:
            entry["early_start"] = day(task.getEarlyStart())
            entry["early_finish"] = day(task.getEarlyFinish())
            # The time tells a milestone at the start of a day from one at the end of the day before.
            entry["early_start_time"] = text(task.getEarlyStart())
            entry["early_finish_time"] = text(task.getEarlyFinish())
        tasks.append(entry)
    calendar = project.getDefaultCalendar()
    result = {
        "path": path,
        "read_as": text(properties.getFileType()),
        "calendar": None if calendar is None else text(calendar.getName()),
        "calendar_exceptions": None if calendar is None else int(calendar.getCalendarExceptions().size()),
        "tasks": tasks,
    }
    if schedule:
        result["scheduler"] = scheduler
        result["start_date"] = day(properties.getStartDate())
    return result


def time_read_write(path, package, rounds=5):
    """Median seconds for MPXJ to read `path` and write it back as MS Project XML."""
    import jpype

    reader_class = jpype.JClass(package + ".mspdi.MSPDIReader")
    writer_class = jpype.JClass(package + ".mspdi.MSPDIWriter")
    stream_class = jpype.JClass("java.io.ByteArrayOutputStream")
    times, size = [], 0
    for _ in range(rounds):
        began = time.perf_counter()
        project = reader_class().read(path)
        stream = stream_class()
        writer_class().write(project, stream)
        times.append(time.perf_counter() - began)
        size = int(stream.size())
        print(f"read + write {times[-1]:.3f} s ({project.getTasks().size()} tasks, {size} bytes written)", file=sys.stderr)
    return statistics.median(times)


def main(arguments):
    schedule = "--schedule" in arguments
    timing = "--time" in arguments
    paths = [a for a in arguments if a not in ("--schedule", "--time")]
    if not paths or (timing and (schedule or len(paths) != 1)) or any(p.startswith("--") for p in paths):
        print(__doc__, file=sys.stderr)
        return 2
    package, reader_class, time_unit, field_type_class = start_mpxj()
    if timing:
        print(f"seconds {time_read_write(paths[0], package):.4f}")
        return 0
    results, failed = [], False
    for path in paths:
        try:
            results.append(describe(path, reader_class, time_unit, field_type_class, package, schedule))
        except Exception as error:  # MPXJ raises Java exceptions through JPype
            failed = True
            results.append({"path": path, "error": str(error)})
            action = "read or schedule" if schedule else "read"
            print(f"MPXJ could not {action} {path}: {error}", file=sys.stderr)
    print(json.dumps({"mpxj_package": package, "files": results}, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
