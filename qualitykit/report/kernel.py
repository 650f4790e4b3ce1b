"""A Jupyter kernel started early: it boots and imports what a notebook will use while the
report reads and checks the sheets, so that the notebook's first cells do not wait for it.

A report's critical path is one kernel's work. Started at the last moment (as papermill does),
the kernel's start-up and the imports of pandas, scipy, matplotlib and the kit's
modules (≈ 2–3 s on the sample school) come after the import step; started first, they run on
the machine's other core beside it. The warm-up is an execution the notebook never sees
(``silent``: no output, no execution count, nothing in the history) and it only imports.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

__all__ = ["EarlyKernel", "warm_up"]

#: The kernel's options: its English start-up warnings are not for teachers; no history file
#: (as nbclient runs kernels: two reports at once must not share an SQLite file).
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR", "--HistoryManager.hist_file=:memory:"]

#: Libraries the analyses import inside their functions (not at module level), imported too.
_LIBRARIES = ("pandas", "numpy", "scipy.special", "matplotlib.pyplot")

#: Seconds to wait for the warm-up before starting afresh (it takes 2–3 s on a quiet machine).
WARM_UP_TIMEOUT = 300.0

_WARM_UP = """\
try:
    import qualitykit.report.kernel as _qk_kernel
    _qk_kernel.warm_up({notebook!r})
    del _qk_kernel
except Exception:
    pass
"""


def warm_up(notebook: str | Path) -> list[str]:
    """Import what ``notebook`` will use: the kit's public names its code cells call
    (``qk.summary`` imports the module that defines it) and the libraries the analyses load
    inside their functions; the names of the modules imported, in order.

    Nothing is run but imports (and the kit's font lookup), so a notebook's results cannot
    depend on whether it ran.
    """
    import importlib

    import qualitykit

    source = "\n".join("".join(cell["source"]) for cell in _cells(notebook)
                       if cell["cell_type"] == "code")
    done = []
    for name in dict.fromkeys(re.findall(r"\bqk\.([A-Za-z_]\w*)", source)):
        if getattr(qualitykit, name, None) is not None:
            done.append(name)
    for module in _LIBRARIES:
        try:
            importlib.import_module(module)
        except ImportError:  # an optional library the notebook will report on itself
            continue
        done.append(module)
    from .fonts import cjk_font

    cjk_font()
    return done


def _cells(notebook: str | Path) -> list[dict]:
    return json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]


class EarlyKernel:
    """A ``python3`` kernel started now in ``cwd`` (with ``env`` added to this process's
    environment), importing ``notebook``'s modules.

    ``manager`` is handed to papermill (``km=``), which then runs the notebook in this kernel
    instead of starting its own; :meth:`close` shuts the kernel down. If the kernel cannot be
    started here (no ``python3`` kernel), ``manager`` is None and the error is raised again
    when papermill tries, with the runner's message.
    """

    def __init__(self, notebook: str | Path, cwd: str | Path, env: dict | None = None):
        from jupyter_client import AsyncKernelManager
        from jupyter_client.blocking import BlockingKernelClient
        from jupyter_client.kernelspec import NoSuchKernel
        from jupyter_core.utils import run_sync

        self.manager, self._client, self._warm_up, self._done = None, None, "", False
        self._clients: list = []
        manager = AsyncKernelManager(kernel_name="python3")
        try:
            run_sync(manager.start_kernel)(extra_arguments=KERNEL_ARGUMENTS, cwd=str(cwd),
                                           env={**os.environ, **(env or {})})
        except NoSuchKernel:
            return
        self.manager = manager
        # papermill's client of this kernel: its channels are stopped at the end (papermill
        # leaves a kernel it did not start alone, client and all, and the open heartbeat
        # channel would hold the process ≈ 1 s at exit)
        make_client = manager.client

        def client(**kwargs):
            self._clients.append(make_client(**kwargs))
            return self._clients[-1]

        manager.client = client
        # the request waits in the socket's queue until the kernel listens; its reply is
        # awaited only when the notebook is to run (ready)
        self._client = BlockingKernelClient(**manager.get_connection_info(session=True))
        self._client.start_channels()
        self._warm_up = self._client.execute(_WARM_UP.format(notebook=str(notebook)),
                                             silent=True, store_history=False)

    def ready(self, timeout: float = WARM_UP_TIMEOUT) -> bool:
        """Wait until the warm-up is done (papermill then finds the kernel idle; its own
        start-up check would otherwise time out behind a long warm-up on a busy machine).

        A kernel that died, or a warm-up not done in ``timeout`` seconds, is shut down and
        ``manager`` set to None: papermill then starts a kernel of its own. Returns whether
        this kernel is the one to use.
        """
        from queue import Empty

        from jupyter_core.utils import run_sync

        deadline = time.monotonic() + timeout
        while self.manager is not None and not self._done and time.monotonic() < deadline:
            try:
                reply = self._client.get_shell_msg(timeout=1)
            except Empty:
                if not run_sync(self.manager.is_alive)():
                    break
                continue
            self._done = reply["parent_header"].get("msg_id") == self._warm_up
        if not self._done:
            self.close()
        return self._done

    def run(self, code: str, timeout: float = WARM_UP_TIMEOUT) -> dict | None:
        """Run ``code`` silently in this kernel once its warm-up (and the notebook) is done
        (no output, no execution count, nothing in the history) and wait for it; the reply's
        content (``status`` "ok" or "error" with ``ename`` and ``evalue``), or None when the
        kernel is not there, died or did not answer in ``timeout`` seconds.

        Safe to call from another thread than the one that started the kernel: the request
        goes through a client of its own (a client's sockets belong to the thread that made
        them).
        """
        from queue import Empty

        from jupyter_client.blocking import BlockingKernelClient
        from jupyter_core.utils import run_sync

        if self.manager is None or not self.ready(timeout):
            return None
        client = BlockingKernelClient(**self.manager.get_connection_info(session=True))
        client.start_channels(iopub=False, stdin=False, hb=False)
        try:
            asked = client.execute(code, silent=True, store_history=False)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                try:
                    reply = client.get_shell_msg(timeout=1)
                except Empty:
                    if not run_sync(self.manager.is_alive)():
                        return None
                    continue
                if reply["parent_header"].get("msg_id") == asked:
                    return reply["content"]
            return None
        finally:
            client.stop_channels()

    def close(self) -> None:
        """Stop the warm-up's client and shut the kernel down (at once: every output is in)."""
        from jupyter_core.utils import run_sync

        for client in [self._client, *self._clients]:
            if client is not None:
                client.stop_channels()
        if self.manager is not None:
            if run_sync(self.manager.is_alive)():
                run_sync(self.manager.shutdown_kernel)(now=True)
            else:  # it died: its connection file and sockets still go
                run_sync(self.manager.cleanup_resources)()
        self.manager, self._client, self._clients = None, None, []

    def __enter__(self) -> EarlyKernel:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
