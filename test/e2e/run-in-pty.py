"""Runs a command in a pseudo-terminal of a given size and relays bytes both ways (named so it does not shadow the pty module).

Usage: python3 run-in-pty.py COLS ROWS command [args...]
Node has no built-in pty; Python's standard library does, so the end-to-end tests need no native addon.
Exits with the command's exit code (128+N if a signal ended it).
SIGUSR1 closes the terminal, as closing its window does: the master side is closed, so the kernel
sends SIGHUP to the command and its reads and writes on the terminal fail with EIO.
"""
import fcntl, os, pty, select, signal, struct, sys, termios

cols, rows, argv = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
    os.execvp(argv[0], argv)

hangup = False
def close_terminal(*_):
    global hangup
    hangup = True
signal.signal(signal.SIGUSR1, close_terminal)

stdin_open = True
while True:
    if hangup:
        os.close(fd)
        break
    watch = [fd] + ([0] if stdin_open else [])
    ready, _, _ = select.select(watch, [], [], 0.1)
    if fd in ready:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        os.write(1, data)
    if 0 in ready:
        data = os.read(0, 65536)
        if data:
            os.write(fd, data)
        else:
            stdin_open = False

_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status) if os.waitstatus_to_exitcode(status) >= 0 else 128 - os.waitstatus_to_exitcode(status))
