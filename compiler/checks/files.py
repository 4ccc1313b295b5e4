"""Rules of reading the definitions directory: files, YAML, and hostile input (D1xx).

Reported by the YAML reader (``compiler.definitions.source``) and the loader,
which are these rules' checks. The limits are far above any real definitions
set (the 10,000-monitor benchmark set is ~3 MB in total) and far below what
hurts a CI runner.
"""

from __future__ import annotations

from compiler.checks.rule import Rule

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_TOTAL_BYTES = 50 * 1024 * 1024
MAX_DEPTH = 32
MAX_INTEGER = 2**53 - 1  # the largest integer a JSON API (Datadog, PagerDuty) round-trips exactly

NOT_A_DEFINITIONS_FILE = Rule(
    "D101",
    "error",
    "A file in the definitions directory is not YAML",
    "Every file in the definitions directory (except *.md notes and dot-files) is read as definitions, so a stray "
    "file is more likely a mistake than something to skip silently.\n"
    "Fix: move the file out of the directory, or rename it to *.yaml if it is YAML.",
)

UNREADABLE_FILE = Rule(
    "D102",
    "error",
    "A definitions file cannot be read",
    "The file is not UTF-8 text or the operating system refused to read it.\n"
    "Fix: save the file as UTF-8; check its permissions.",
)

YAML_SYNTAX_ERROR = Rule(
    "D103",
    "error",
    "YAML syntax error",
    "The file is not well-formed YAML (indentation, an unclosed bracket or quote, a tab used for indentation). The "
    "position is where the YAML parser gave up, usually at or just after the mistake.\n"
    "Fix: correct the YAML near that position.",
)

MERGE_KEY = Rule(
    "D104",
    "error",
    "A YAML merge key ('<<') is used",
    "Merge keys make a definition read differently from what is applied and are not part of YAML 1.2.\n"
    "Fix: write the fields out.",
)

COMPLEX_KEY = Rule(
    "D105",
    "error",
    "A mapping key is not a plain scalar",
    "Keys of definitions mappings are field names; a list or mapping used as a key has no meaning here.\n"
    "Fix: use a plain name as the key.",
)

DUPLICATE_KEY = Rule(
    "D106",
    "error",
    "A key appears twice in one mapping",
    "YAML would silently keep only one of the two values; alertc reports it instead of guessing which one you "
    "meant.\n"
    "Fix: remove or rename one of the keys.",
)

NOT_A_MAPPING_OF_SECTIONS = Rule(
    "D107",
    "error",
    "A YAML document is not a mapping of sections",
    "Each document of a definitions file is a mapping whose keys are sections (process, teams, services, monitors, "
    "...).\n"
    "Fix: put the content under a section key.",
)

NO_DEFINITIONS_FILES = Rule(
    "D108",
    "error",
    "The definitions directory holds no definitions files",
    "Nothing to validate or apply was found (no *.yaml or *.yml file).\n"
    "Fix: pass the right directory with -d/--definitions, or create the files.",
)

SECTION_DEFINED_TWICE = Rule(
    "D109",
    "error",
    "A single-valued section is defined more than once",
    "Sections such as 'process' and 'banners' exist once per definitions set; two of them (in one file or two) "
    "would make one silently win.\n"
    "Fix: keep one section across all files.",
)

NOT_A_REGULAR_FILE = Rule(
    "D110",
    "error",
    "An entry of the definitions directory is not a regular file",
    "Only regular files are read. A symbolic link is followed only when it leads to a regular file inside the "
    "definitions directory; FIFOs, devices, sockets and links that leave the directory are reported and never "
    "opened, so a definitions change cannot make validation hang or read /dev/zero.\n"
    "Fix: replace the entry with a regular file inside the definitions directory.",
)

FILE_TOO_LARGE = Rule(
    "D111",
    "error",
    "A definitions file is larger than 5 MB",
    "A definitions file is a few hundred kilobytes even for thousands of monitors; a larger file is a mistake "
    "(generated output, a binary) and is not read, to keep validation time and memory bounded.\n"
    "Fix: split the file, or move what is not definitions out of the directory.",
)

DIRECTORY_TOO_LARGE = Rule(
    "D112",
    "error",
    "The definitions directory is larger than 50 MB in total",
    "Reading stops once the files read add up to more than the total limit, so validation time and memory stay "
    "bounded whatever the directory holds.\n"
    "Fix: move what is not definitions out of the directory.",
)

ALIAS = Rule(
    "D113",
    "error",
    "A YAML alias ('*name') is used",
    "Aliases are not supported: a definition must read the same as what is applied, and aliases allow 'billion "
    "laughs' documents that expand to gigabytes and self-referencing cycles. alertc rejects every alias (anchors "
    "alone are harmless and ignored).\n"
    "Fix: write the value out where it is used.",
)

NESTED_TOO_DEEPLY = Rule(
    "D114",
    "error",
    "Values are nested too deeply",
    "Definitions are at most a few levels deep; values nested more than 32 levels are reported at the first node "
    "past the limit instead of being processed, so no deep input can exhaust the stack.\n"
    "Fix: flatten the structure; this is almost certainly not what you meant to write.",
)

NUMBER_OUT_OF_RANGE = Rule(
    "D115",
    "error",
    "A number is out of range, not a number, or infinite",
    "Integers beyond 2^53-1 cannot be sent to the Datadog and PagerDuty APIs exactly, and NaN or infinity (.nan, "
    ".inf, or a float such as 1e400 that overflows) is never a meaningful threshold or count.\n"
    "Fix: write a finite number in the field's range.",
)
