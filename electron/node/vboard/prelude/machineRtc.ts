/**
 * machine.RTC of an ESP32: its clock (set with an 8-tuple, read back running,
 * and seen by time.localtime()) and its user memory, both kept through resets
 * and deep sleep (the host retains them; a power-on clears them).
 */
export const MACHINE_RTC_PY = `

# RTC memory a program may use on an ESP32 (MICROPY_HW_RTC_USER_MEM_MAX).
_RTC_MEMORY_BYTES = 2048


class RTC:
    def __init__(self, id=0):
        pass

    def init(self, datetime):
        self.datetime(datetime)

    def datetime(self, dt=None):
        if dt is None:
            ns = _time.time_ns()
            t = _time.localtime(ns // 1000000000)
            return (t[0], t[1], t[2], t[6], t[3], t[4], t[5], ns // 1000 % 1000000)
        year, month, day, _weekday, hour, minute, second = dt[:7]
        us = dt[7] if len(dt) > 7 else 0
        wanted = _time.mktime((year, month, day, hour, minute, second, 0, 0)) * 1000000000 + us * 1000
        offset = wanted - _time._host_time_ns()
        _time._rtc_offset_ns[0] = offset
        _pinwheel.retain_set('rtc-time', str(offset))

    def memory(self, data=None):
        if data is None:
            return bytes.fromhex(_pinwheel.retain_get('rtc-memory'))
        data = bytes(data)
        if len(data) > _RTC_MEMORY_BYTES:
            raise ValueError('buffer too long')
        _pinwheel.retain_set('rtc-memory', data.hex())
`;
