"""The course's files: one size cap, one set of messages, atomic writes, versioned JSON documents.

Every file the course reads or writes (organisations, plans, capstone designs, gradebooks,
feedback, generated notebooks) goes through this module, so that

* a write is atomic: a temporary file in the same folder, then a rename; a reader sees the old
  file or the new one, never half of one; a failed write leaves the old file as it was, and the
  file keeps its permissions;
* a read refuses a file larger than `MAX_BYTES`, a folder, a file that is not UTF-8 text, and
  (for documents) JSON that is truncated, nested too deeply, of another schema or an unknown
  version, with a message that names the file and says what is wrong;
* a *document* is a JSON object whose first two keys are ``"schema"`` (what it is, such as
  ``"senge-course/plan"``) and ``"version"`` (a whole number).

>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "plan.json"
>>> write_text(path, dumps({"name": "Ours"}, schema="senge-course/plan", version=1))
>>> read_document(path, schema="senge-course/plan", version=1, what="plan")
{'name': 'Ours'}
>>> read_document(path, schema="senge-course/capstone", version=1, what="design")
Traceback (most recent call last):
...
ValueError: cannot load the design .../plan.json: it is a 'senge-course/plan' file, not a 'senge-course/capstone' file
"""

import json
import os
import stat
import tempfile
from pathlib import Path

__all__ = [
    "MAX_BYTES",
    "WORKING_FOLDER_VARIABLE",
    "check_inside",
    "dumps",
    "loads",
    "read_document",
    "read_text",
    "working_folder",
    "write_text",
]

#: The largest file the course reads (20 MB: an organisation of the largest size is about 2 MB).
MAX_BYTES = 20_000_000

#: The environment variable that sets the folder the apps' file buttons may use (default: the
#: folder the kernel was started in, its current folder).
WORKING_FOLDER_VARIABLE = "SENGE_COURSE_WORKING_FOLDER"


def working_folder():
    """Return the course's working folder: where the apps' Save and Load may read and write.

    It is ``$SENGE_COURSE_WORKING_FOLDER`` if that is set, otherwise the current folder (the
    folder the kernel was started in: a lesson's kernel starts beside its notebook), with
    symbolic links and ``..`` resolved.

    >>> import os
    >>> working_folder() == Path(os.getcwd()).resolve()
    True
    """
    return Path(os.environ.get(WORKING_FOLDER_VARIABLE) or os.getcwd()).expanduser().resolve()


def check_inside(path, root=None, *, action="save", what="the file"):
    """Return `path` if it names a file inside the folder `root`; refuse it otherwise.

    The one rule of the apps' file buttons (Save, Load, Export) and of their Python methods
    (``app.save(path)``): a file is read or written only inside `root` (default:
    `working_folder`), so a presentation page driven from elsewhere cannot write (or read) a
    file anywhere on the machine.  ``~``, ``..`` and symbolic links (in any part of the path,
    the file itself included) are resolved before the check; a relative `path` is taken from
    the current folder, as ``open`` takes it.  `action` (``"save"``, ``"load"``,
    ``"export"``) and `what` (``"the plan"``) word the message.

    Raises
    ------
    ValueError
        If `path` is outside `root`: the message names the path, the folder and what to do.

    Examples
    --------
    A file name inside the folder comes back as it was given; one outside is refused.

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> check_inside(root / "plans" / "my_plan.json", root) == root / "plans" / "my_plan.json"
    True
    >>> check_inside(root / ".." / "my_plan.json", root, what="the plan")
    Traceback (most recent call last):
    ...
    ValueError: cannot save the plan to .../../my_plan.json: it is outside the course folder ...; save inside that folder (for example my_plan.json)
    """
    given = Path(os.fspath(path)).expanduser()
    folder = (working_folder() if root is None else Path(root).expanduser()).resolve()
    real = os.path.realpath(given)
    if real != os.fspath(folder) and not real.startswith(_with_sep(folder)):
        where = f"{action} {what} {'from' if action == 'load' else 'to'} {given}"
        example = given.name or "my_file.json"
        raise ValueError(
            f"cannot {where}: it is outside the course folder {folder}; {action} inside that "
            f"folder (for example {example})"
        )
    return given


def _with_sep(folder):
    """`folder` as text ending in one separator: ``/a/b`` contains ``/a/b/c``, not ``/a/bc``."""
    return os.path.join(os.fspath(folder), "")


def write_text(path, text, *, what="the file"):
    """Write `text` to `path` atomically (UTF-8, ``\\n`` line ends), keeping an existing file's mode.

    `what` says what the file is (``"the plan"``) in the OSError raised, naming `path` (not the
    temporary file), if the folder is missing, `path` is a folder, or the disk refuses; the file
    already there is then unchanged.

    >>> import pathlib, tempfile
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "notes.md"
    >>> write_text(target, "# Notes\\n")
    >>> target.read_text()
    '# Notes\\n'
    """
    path = Path(path)
    where = f"cannot save {what} to {path}"
    if path.is_dir():
        raise IsADirectoryError(f"{where}: it is a folder")
    if not path.parent.is_dir():
        raise FileNotFoundError(f"{where}: there is no folder {path.parent}")
    try:
        mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else None
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise OSError(f"{where}: {error.strerror or error}") from error
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode if mode is not None else 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except OSError as error:
        raise OSError(f"{where}: {error.strerror or error}") from error
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def read_text(path, *, what="file", max_bytes=None):
    """Return the UTF-8 text of the file at `path`, refusing folders, large and binary files.

    Raises FileNotFoundError if there is no such file, ValueError (starting "cannot load the
    `what` `path`") if it is a folder, larger than `max_bytes`, empty, or not UTF-8 text.
    """
    path = Path(path)
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    where = f"cannot load the {what} {path}"
    if not path.exists():
        raise FileNotFoundError(f"{where}: there is no such file")
    if path.is_dir():
        raise ValueError(f"{where}: it is a folder, not a file")
    with open(path, "rb") as fh:
        raw = fh.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise ValueError(f"{where}: it is too large (over {max_bytes:,} bytes)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"{where}: it is not {_a(what)} file (not UTF-8 text)") from None
    if not text.strip():
        raise ValueError(f"{where}: the file is empty")
    return text


def dumps(data, *, schema, version, compact=False):
    """Return `data` (a dict) as a document's JSON text: ``schema`` and ``version`` first.

    >>> dumps({"name": "x"}, schema="senge-course/plan", version=1, compact=True)
    '{"schema":"senge-course/plan","version":1,"name":"x"}\\n'
    """
    document = {"schema": schema, "version": version, **data}
    layout = {"separators": (",", ":")} if compact else {"indent": 2}
    return json.dumps(document, ensure_ascii=False, allow_nan=False, **layout) + "\n"


def loads(text, *, schema, version, what, where=None):
    """Return the fields of the document in JSON `text` (without ``schema`` and ``version``).

    A document written before the ``schema`` key may carry ``format`` instead (organisation
    files of version 1).  Raises ValueError, starting with `where` (default ``"cannot read the
    <what>"``), if the text is not JSON (saying where, or that it ends too early), not an object,
    nested too deeply, of another schema, or of another version.
    """
    where = where or f"cannot read the {what}"
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError(f"{where}: it is not {_a(what)} file (not UTF-8 text)") from None
    if not isinstance(text, str):
        raise TypeError(f"text must be JSON text (a str), got {type(text).__name__}")
    if len(text) > MAX_BYTES:
        raise ValueError(
            f"{where}: it is too long ({len(text):,} characters, at most {MAX_BYTES:,})"
        )
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        if error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated string"):
            why = "it ends too early (truncated?)"
        else:
            why = f"{error.msg} at line {error.lineno}, column {error.colno}"
        raise ValueError(f"{where}: it is not valid JSON: {why}") from None
    except RecursionError:
        raise ValueError(f"{where}: it is not {_a(what)} file (nested too deeply)") from None
    except ValueError as error:  # NaN or Infinity
        raise ValueError(f"{where}: {error}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{where}: it is not {_a(what)} file (expected a JSON object)")
    found = data.pop("schema", data.pop("format", None))
    if found != schema:
        raise ValueError(f"{where}: it is a {found!r} file, not a {schema!r} file")
    found_version = data.pop("version", None)
    if found_version != version or isinstance(found_version, bool):
        raise ValueError(
            f"{where}: it has version {found_version!r}; this course reads version {version}"
        )
    return data


def read_document(path, *, schema, version, what):
    """Return the fields of the document in the file at `path` (see `read_text` and `loads`)."""
    where = f"cannot load the {what} {path}"
    return loads(read_text(path, what=what), schema=schema, version=version, what=what, where=where)


def _a(noun):
    """The noun with its indefinite article: "a plan", "an organisation"."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def _refuse_constant(name):
    raise ValueError(f"{name} is not allowed (numbers must be finite)")


# read once, at import (os.umask sets as it reads, so it is set back at once: never from a thread)
_UMASK = os.umask(0)
os.umask(_UMASK)
