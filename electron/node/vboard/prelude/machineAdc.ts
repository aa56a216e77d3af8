/**
 * machine.ADC and machine.ADCBlock of an ESP32. An ADC reads the voltage the
 * host applies to its pin (BoardPeripherals.setAnalogInput), or a DAC's
 * output on the same pin (machineDac.ts), through the attenuation's range as
 * the chip does: a 12-bit code, clipped at the range's top.
 */
export const MACHINE_ADC_PY = `

# The GPIO of each channel of ADC block 1 and block 2.
_ADC_CHANNELS = {1: (36, 37, 38, 39, 32, 33, 34, 35), 2: (4, 0, 2, 15, 13, 12, 14, 27, 25, 26)}
_ADC_PINS = _ADC_CHANNELS[1] + _ADC_CHANNELS[2]
# Microvolts at code 4095 per attenuation (0, 2.5, 6, 11 dB): the 1.1 V reference times each gain.
_ADC_FULL_UV = (1100000, 1466000, 2200000, 3905000)
_adc_width = [12]
# Attenuation per pin: the channel keeps it, so a new ADC on the pin without atten= reads as the last one set.
_adc_atten = {}


class ADC:
    ATTN_0DB = 0
    ATTN_2_5DB = 1
    ATTN_6DB = 2
    ATTN_11DB = 3
    WIDTH_9BIT = 9
    WIDTH_10BIT = 10
    WIDTH_11BIT = 11
    WIDTH_12BIT = 12

    def __init__(self, pin, *, atten=None):
        self._pin = _pin_id(pin)
        if self._pin not in _ADC_PINS:
            raise ValueError('invalid Pin for ADC')
        self.atten(_adc_atten.get(self._pin, ADC.ATTN_0DB) if atten is None else atten)

    def init(self, *, atten=None):
        if atten is not None:
            self.atten(atten)

    def deinit(self):
        pass

    def atten(self, atten):
        if atten not in (0, 1, 2, 3):
            raise ValueError('invalid attenuation')
        _adc_atten[self._pin] = atten
        _pinwheel.periph_report('adc', self._pin, str(atten))

    @property
    def _atten(self):
        return _adc_atten[self._pin]

    def width(self, bits):
        if bits not in (9, 10, 11, 12):
            raise ValueError('invalid bit-width')
        _adc_width[0] = bits

    def _code12(self):
        uv = _dac_uv.get(self._pin)
        if uv is None:
            uv = _pinwheel.analog_in(self._pin)
        full = _ADC_FULL_UV[self._atten]
        return min(4095, uv * 4095 // full)

    def read(self):
        return self._code12() >> (12 - _adc_width[0])

    def read_u16(self):
        raw = self.read()
        bits = _adc_width[0]
        return (raw << (16 - bits)) | (raw >> (2 * bits - 16))

    def read_uv(self):
        # Calibrated microvolts, at millivolt resolution as the port returns them.
        return self._code12() * _ADC_FULL_UV[self._atten] // 4095 // 1000 * 1000

    def block(self):
        return ADCBlock(1 if self._pin in _ADC_CHANNELS[1] else 2)

    def __repr__(self):
        return 'ADC(Pin(%d), atten=%d)' % (self._pin, self._atten)


class ADCBlock:
    def __init__(self, id, *, bits=None):
        if id not in _ADC_CHANNELS:
            raise ValueError('invalid block id')
        self._id = id
        if bits is not None:
            self.init(bits=bits)

    def init(self, *, bits=12):
        if bits not in (9, 10, 11, 12):
            raise ValueError('invalid bit-width')
        _adc_width[0] = bits

    def connect(self, *args, atten=None):
        # connect(pin), connect(channel) or connect(channel, pin): the pin must be that channel's.
        channels = _ADC_CHANNELS[self._id]
        if len(args) == 2:
            channel, pin = args
            if not 0 <= channel < len(channels) or channels[channel] != _pin_id(pin):
                raise ValueError('invalid channel/pin')
            pin = channels[channel]
        elif isinstance(args[0], int):
            if not 0 <= args[0] < len(channels):
                raise ValueError('invalid channel')
            pin = channels[args[0]]
        else:
            pin = _pin_id(args[0])
            if pin not in channels:
                raise ValueError('invalid Pin for ADC')
        return ADC(pin, atten=atten)

    def __repr__(self):
        return 'ADCBlock(%d, bits=%d)' % (self._id, _adc_width[0])
`;
