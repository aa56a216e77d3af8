/**
 * Runs boot.py / main.py as a board does: in __main__, interruptible by
 * Ctrl-C, errors printed as a traceback without this runner's own frame.
 */

export const BOOT_PY = `
import sys, micropython


def run(path):
    try:
        f = open(path)
    except OSError:
        return
    with f:
        src = f.read()
    import __main__
    micropython.kbd_intr(3)
    try:
        exec(compile(src, path, 'exec'), __main__.__dict__)
    except SystemExit:
        pass
    except BaseException as e:
        micropython.kbd_intr(-1)
        sys.print_exception(e)
    finally:
        micropython.kbd_intr(-1)
`;
