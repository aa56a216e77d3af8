/**
 * machine.WDT of an ESP32. The watchdog itself runs on the host
 * (BoardWatchdog), so it resets even a program stuck in a loop that never
 * calls the board.
 */
export const MACHINE_WDT_PY = `

class WDT:
    def __init__(self, id=0, timeout=5000):
        if id != 0:
            raise ValueError()
        if timeout <= 0:
            raise ValueError('WDT timeout too short')
        _pinwheel.wdt_start(timeout)

    def feed(self):
        _pinwheel.wdt_feed()
`;
