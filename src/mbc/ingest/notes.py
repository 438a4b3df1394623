from __future__ import annotations
def read_note(text, *, as_of=None):
    raise NotImplementedError
