"""Two "hosts" on this machine: Linux network namespaces joined by a bridge, each with its
own address, and an Open MPI launch agent that starts a command "on" a host by running it
in that host's namespace.  ``mpirun -H 10.x.0.1,10.x.0.2`` then crosses real TCP sockets
between the namespaces, as between two machines (same file system, separate networks).

Needs root and iproute2 (``ip netns``).

Example:
    >>> with TwoHosts(tmp_path) as hosts:
    ...     subprocess.run(["mpirun", *hosts.mpirun_args(), "-n", "2", "python", "train.py"])
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path


def _ip(*args, namespace=None) -> None:
    command = ["ip", *args] if namespace is None else ["ip", "netns", "exec", namespace, "ip",
                                                      *args]
    subprocess.run(command, check=True, capture_output=True, text=True)


def available() -> str | None:
    """None if namespaces can be made here, else the reason they cannot."""
    if shutil.which("ip") is None:
        return "iproute2 ('ip') is not installed"
    if os.geteuid() != 0:
        return "network namespaces need root"
    probe = f"gnprobe{os.getpid()}"
    try:
        _ip("netns", "add", probe)
    except subprocess.CalledProcessError as error:
        return f"cannot create a network namespace: {error.stderr.strip()}"
    _ip("netns", "del", probe)
    return None


class TwoHosts:
    """Namespaces ``gn<pid>h1`` and ``gn<pid>h2`` at 10.<n>.0.1 and .2 on a bridge."""

    def __init__(self, folder: Path):
        tag = os.getpid() % 10000
        self.subnet = f"10.{100 + tag % 100}.0"
        self.bridge = f"gnbr{tag}"
        self.namespaces = [f"gn{tag}h1", f"gn{tag}h2"]
        self.addresses = [f"{self.subnet}.1", f"{self.subnet}.2"]
        self.agent = Path(folder) / "netns_rsh"

    def __enter__(self):
        try:
            _ip("link", "add", self.bridge, "type", "bridge")
            _ip("addr", "add", f"{self.subnet}.254/24", "dev", self.bridge)
            _ip("link", "set", self.bridge, "up")
            for i, (namespace, address) in enumerate(zip(self.namespaces, self.addresses)):
                veth = f"{self.bridge}v{i}"
                _ip("netns", "add", namespace)
                _ip("link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns",
                    namespace)
                _ip("link", "set", veth, "master", self.bridge)
                _ip("link", "set", veth, "up")
                _ip("addr", "add", f"{address}/24", "dev", "eth0", namespace=namespace)
                _ip("link", "set", "eth0", "up", namespace=namespace)
                _ip("link", "set", "lo", "up", namespace=namespace)
        except BaseException:
            self.__exit__()
            raise
        cases = "\n".join(f'  {a}) ns={n} ;;' for a, n in zip(self.addresses, self.namespaces))
        self.agent.write_text(
            "#!/bin/sh\n"
            "# Open MPI launch agent: 'netns_rsh HOST COMMAND...' runs COMMAND in HOST's "
            "namespace.\n"
            'host="$1"; shift\n'
            f'case "$host" in\n{cases}\n'
            '  *) echo "netns_rsh: unknown host $host" >&2; exit 255 ;;\nesac\n'
            'exec ip netns exec "$ns" sh -c "$*"\n')
        self.agent.chmod(0o755)
        return self

    def mpirun_args(self) -> list:
        """Options that make mpirun start ranks in the namespaces and talk TCP between them."""
        subnet = f"{self.subnet}.0/24"
        # rtc_hwloc_vmhole=none: the remote daemons then do not map the hardware topology
        # into shared memory at a fixed address, which crashed Open MPI 4.1's orted here now
        # and then (a segfault in hwloc_shmem_topology_write).
        return ["-H", ",".join(self.addresses), "--mca", "plm_rsh_agent", str(self.agent),
                "--mca", "btl", "tcp,self", "--mca", "btl_tcp_if_include", subnet,
                "--mca", "oob_tcp_if_include", subnet, "--mca", "rtc_hwloc_vmhole", "none"]

    def __exit__(self, *exc) -> None:
        for namespace in self.namespaces:
            subprocess.run(["ip", "netns", "del", namespace], capture_output=True)
        subprocess.run(["ip", "link", "del", self.bridge], capture_output=True)
