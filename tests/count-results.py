"""Sums passed/failed over every .trx (dotnet) and JUnit (vitest) file in a folder."""
import glob, os, sys
import xml.etree.ElementTree as ET

folder = sys.argv[1]
passed = failed = 0
for path in glob.glob(os.path.join(folder, "*.trx")):
    counters = ET.parse(path).getroot().find(".//{*}Counters")
    if counters is not None:
        passed += int(counters.get("passed", 0))
        failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
for path in glob.glob(os.path.join(folder, "*.junit.xml")):
    root = ET.parse(path).getroot()
    for case in root.iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
        elif case.find("skipped") is None:
            passed += 1
print(passed, failed)
