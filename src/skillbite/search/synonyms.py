"""How people ask versus how documentation says it: a general synonym and paraphrase vocabulary.

This is everyday computing and workplace vocabulary (thesaurus-style groups and common abbreviations), not a
list fitted to any query set. Each group holds words a person uses interchangeably when asking for help;
`PARAPHRASES` maps one word to a phrase that documentation uses instead ("untar" -> "extract archive").
Expansions count less than the word actually typed (see ranking.py).
"""

from __future__ import annotations

from functools import lru_cache

from skillbite.search.analyzer import analyze, stem

SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("undo", "revert", "reset", "rollback", "restore"),
    ("delete", "remove", "erase", "rm", "del", "unlink", "wipe"),
    ("show", "list", "display", "print", "view", "see", "output"),
    ("folder", "directory", "dir"),
    ("file", "document"),
    ("find", "search", "locate", "look", "lookup"),
    ("copy", "duplicate", "cp", "clone"),
    ("move", "rename", "mv"),
    ("create", "make", "new", "add", "generate"),
    ("edit", "modify", "change", "alter", "update"),
    ("start", "launch", "run", "execute", "begin"),
    ("stop", "kill", "terminate", "end", "halt", "quit", "exit"),
    ("download", "fetch", "retrieve", "get"),
    ("upload", "send", "transfer", "push"),
    ("compress", "zip", "pack", "archive", "gzip"),
    ("decompress", "unzip", "unpack", "extract", "uncompress", "expand"),
    ("count", "number", "tally"),
    ("size", "space", "usage", "bytes", "big", "large"),
    ("disk", "drive", "filesystem", "partition", "volume"),
    ("permission", "mode", "access", "rights", "chmod"),
    ("owner", "ownership", "chown"),
    ("process", "task", "job", "pid"),
    ("port", "socket", "listen", "listening"),
    ("network", "internet", "connection", "net"),
    ("address", "ip", "host", "hostname"),
    ("user", "account", "login", "username"),
    ("password", "passphrase", "passwd", "credential"),
    ("time", "date", "clock", "timestamp"),
    ("compare", "diff", "difference", "differ"),
    ("merge", "combine", "join", "concatenate", "concat", "cat"),
    ("split", "divide", "chunk"),
    ("sort", "order", "arrange"),
    ("replace", "substitute", "swap"),
    ("first", "head", "top", "beginning"),
    ("last", "tail", "end"),
    ("line", "row"),
    ("word", "token"),
    ("text", "string", "content", "contents"),
    ("error", "failure", "problem", "bug"),
    ("log", "journal", "history"),
    ("memory", "ram", "mem"),
    ("cpu", "processor", "load"),
    ("environment", "env", "variable"),
    ("schedule", "cron", "periodic", "recurring", "timer"),
    ("install", "setup"),
    ("uninstall", "purge"),
    ("package", "dependency", "library", "module"),
    ("commit", "save", "record", "snapshot"),
    ("branch", "fork"),
    ("repository", "repo"),
    ("image", "picture", "photo"),
    ("video", "movie", "clip"),
    ("audio", "sound", "music"),
    ("picture", "screenshot", "capture"),
    ("encrypt", "encode", "cipher"),
    ("decrypt", "decode"),
    ("hidden", "dotfile", "invisible"),
    ("recursive", "recursively", "subdirectory", "subfolder", "tree"),
    ("link", "symlink", "shortcut"),
    ("shutdown", "poweroff", "reboot", "restart"),
    ("meeting", "retrospective", "retro", "standup"),
    ("feedback", "review", "critique"),
    ("query", "select", "sql"),
    ("table", "spreadsheet", "column"),
    ("mount", "attach"),
    ("unmount", "detach", "eject"),
    ("free", "available", "remaining"),
    ("empty", "blank"),
    ("identical", "duplicate", "same"),
    ("modified", "changed", "updated", "edited"),
    ("current", "working", "present"),
    ("home", "user"),
)

PARAPHRASES: dict[str, tuple[str, ...]] = {
    "untar": ("extract archive", "tar"),
    "unzip": ("extract archive",),
    "tarball": ("tar archive",),
    "uncommit": ("undo commit",),
    "unstage": ("remove index", "reset"),
    "cd": ("change directory",),
    "pwd": ("current directory",),
    "ls": ("list directory",),
    "mkdir": ("create directory",),
    "rmdir": ("remove directory",),
    "wc": ("count lines words",),
    "ps": ("list processes",),
    "whoami": ("current user",),
    "cwd": ("current directory",),
    "subdir": ("subdirectory",),
    "sysinfo": ("system information",),
    "ssh": ("secure shell remote",),
    "ftp": ("file transfer",),
    "url": ("web address",),
    "http": ("web request",),
    "timezone": ("time zone",),
    "uptime": ("system running time",),
    "tmp": ("temporary",),
    "temp": ("temporary",),
    "cron": ("schedule",),
    "symlink": ("symbolic link",),
    "mb": ("megabytes size",),
    "gb": ("gigabytes size",),
    "kb": ("kilobytes size",),
}


@lru_cache(maxsize=1)
def _stem_groups() -> dict[str, frozenset[str]]:
    """Stem -> the stems of every word it shares a group with (itself excluded)."""
    related: dict[str, set[str]] = {}
    for group in SYNONYM_GROUPS:
        stems = {stem(word) for word in group}
        for s in stems:
            related.setdefault(s, set()).update(stems - {s})
    return {s: frozenset(others) for s, others in related.items()}


@lru_cache(maxsize=1)
def _stem_paraphrases() -> dict[str, tuple[tuple[str, ...], ...]]:
    return {
        stem(word): tuple(tuple(analyze(phrase)) for phrase in phrases)
        for word, phrases in PARAPHRASES.items()
    }


def synonyms_of(term: str) -> frozenset[str]:
    """Single-term synonyms of a stemmed term (not including the term)."""
    return _stem_groups().get(term, frozenset())


def paraphrases_of(term: str) -> tuple[tuple[str, ...], ...]:
    """Multi-term phrases, as stem tuples, that documentation uses for a stemmed query term."""
    return _stem_paraphrases().get(term, ())
