"""Override the config variables at the top of a training script from the command line
(the nanoGPT way):  python train_generator.py --minutes=7 --batch_size=256 --preset=quick

Exec'd by the training scripts; not a module to import."""
import sys
from ast import literal_eval

for _arg in sys.argv[1:]:
    assert _arg.startswith("--") and "=" in _arg, f"arguments look like --name=value, got {_arg!r}"
    _key, _val = _arg[2:].split("=", 1)
    if _key == "preset":
        for _k, _v in PRESETS[_val].items():  # noqa: F821 (defined by the script that execs this)
            globals()[_k] = _v
        continue
    assert _key in globals(), f"unknown config variable {_key!r}"
    try:
        _val = literal_eval(_val)
    except (ValueError, SyntaxError):
        pass  # a plain string
    globals()[_key] = _val
