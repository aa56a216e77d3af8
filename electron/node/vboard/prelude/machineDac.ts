/**
 * machine.DAC of an ESP32 (pins 25 and 26): its output is reported to the
 * host ('dac') and is what an ADC on the same pin reads (machineAdc.ts).
 */
export const MACHINE_DAC_PY = `

# Microvolts a DAC drives on its pin, for an ADC reading the same pin.
_dac_uv = {}


class DAC:
    def __init__(self, pin):
        self._pin = _pin_id(pin)
        if self._pin not in (25, 26):
            raise ValueError('invalid Pin for DAC')

    def write(self, value):
        if not 0 <= value <= 255:
            raise ValueError('value out of range')
        _dac_uv[self._pin] = value * 3300000 // 255
        _pinwheel.periph_report('dac', self._pin, str(value))

    def __repr__(self):
        return 'DAC(Pin(%d))' % self._pin
`;
