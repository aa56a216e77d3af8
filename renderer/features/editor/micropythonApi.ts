/**
 * The MicroPython modules an ESP32 build ships, with their common members:
 * what the editor completes when no board is connected to ask. Written from
 * the MicroPython library reference (docs.micropython.org, v1.2x, ESP32 port).
 *
 * Each list is "name:kind" words; kinds: c class, f function, k constant,
 * m submodule. Classes listed under "module.Class" complete after `Class.`
 * and after an instance's class is unknown, so after `machine.Pin.` too.
 */

export type ApiKind = 'class' | 'function' | 'constant' | 'module';

export interface ApiMember {
  readonly name: string;
  readonly kind: ApiKind;
}

const KINDS: Record<string, ApiKind> = { c: 'class', f: 'function', k: 'constant', m: 'module' };

const MODULES: Record<string, { doc: string; members: string }> = {
  machine: {
    doc: 'Hardware access: pins, buses, timers, resets',
    members:
      'Pin:c Signal:c ADC:c ADCBlock:c PWM:c UART:c SPI:c SoftSPI:c I2C:c SoftI2C:c I2S:c RTC:c Timer:c WDT:c SDCard:c TouchPad:c ' +
      'reset:f soft_reset:f reset_cause:f bootloader:f freq:f idle:f lightsleep:f deepsleep:f wake_reason:f unique_id:f ' +
      'disable_irq:f enable_irq:f time_pulse_us:f bitstream:f mem8:k mem16:k mem32:k ' +
      'PWRON_RESET:k HARD_RESET:k WDT_RESET:k DEEPSLEEP_RESET:k SOFT_RESET:k PIN_WAKE:k EXT0_WAKE:k EXT1_WAKE:k TIMER_WAKE:k TOUCHPAD_WAKE:k ULP_WAKE:k',
  },
  time: {
    doc: 'Time, delays and the tick counters',
    members: 'sleep:f sleep_ms:f sleep_us:f ticks_ms:f ticks_us:f ticks_cpu:f ticks_add:f ticks_diff:f time:f time_ns:f localtime:f gmtime:f mktime:f',
  },
  os: {
    doc: 'Files and directories on the board',
    members: 'listdir:f ilistdir:f mkdir:f rmdir:f remove:f rename:f stat:f statvfs:f getcwd:f chdir:f sync:f uname:f urandom:f dupterm:f mount:f umount:f VfsFat:c VfsLfs2:c',
  },
  sys: {
    doc: 'The interpreter: path, modules, stdio',
    members: 'argv:k byteorder:k implementation:k maxsize:k modules:k path:k platform:k version:k version_info:k stdin:k stdout:k stderr:k exit:f print_exception:f atexit:f',
  },
  gc: { doc: 'Garbage collector', members: 'collect:f enable:f disable:f isenabled:f mem_alloc:f mem_free:f threshold:f' },
  micropython: {
    doc: 'MicroPython internals',
    members: 'const:f opt_level:f alloc_emergency_exception_buf:f mem_info:f qstr_info:f stack_use:f heap_lock:f heap_unlock:f kbd_intr:f schedule:f native:f viper:f',
  },
  network: {
    doc: 'Wi-Fi and network interfaces',
    members: 'WLAN:c LAN:c STA_IF:k AP_IF:k country:f hostname:f phy_mode:f STAT_IDLE:k STAT_CONNECTING:k STAT_WRONG_PASSWORD:k STAT_NO_AP_FOUND:k STAT_CONNECT_FAIL:k STAT_GOT_IP:k',
  },
  socket: {
    doc: 'BSD sockets',
    members: 'socket:c getaddrinfo:f inet_ntop:f inet_pton:f AF_INET:k AF_INET6:k SOCK_STREAM:k SOCK_DGRAM:k SOCK_RAW:k IPPROTO_TCP:k IPPROTO_UDP:k SOL_SOCKET:k SO_REUSEADDR:k',
  },
  esp32: {
    doc: 'ESP32-specific functions',
    members: 'wake_on_touch:f wake_on_ext0:f wake_on_ext1:f gpio_deep_sleep_hold:f raw_temperature:f idf_heap_info:f Partition:c RMT:c ULP:c NVS:c HEAP_DATA:k HEAP_EXEC:k WAKEUP_ALL_LOW:k WAKEUP_ANY_HIGH:k',
  },
  esp: { doc: 'ESP8266/ESP32 low-level functions', members: 'osdebug:f flash_size:f flash_user_start:f flash_read:f flash_write:f flash_erase:f sleep_type:f deepsleep:f' },
  json: { doc: 'JSON encoding and decoding', members: 'dumps:f dump:f loads:f load:f' },
  struct: { doc: 'Packing binary data', members: 'pack:f pack_into:f unpack:f unpack_from:f calcsize:f' },
  binascii: { doc: 'Binary to ASCII conversions', members: 'hexlify:f unhexlify:f a2b_base64:f b2a_base64:f crc32:f' },
  hashlib: { doc: 'Hash algorithms', members: 'sha256:c sha1:c md5:c' },
  random: { doc: 'Random numbers', members: 'getrandbits:f randint:f randrange:f random:f uniform:f choice:f seed:f' },
  math: {
    doc: 'Mathematical functions',
    members: 'e:k pi:k inf:k nan:k sqrt:f pow:f exp:f log:f log10:f log2:f sin:f cos:f tan:f asin:f acos:f atan:f atan2:f ceil:f floor:f trunc:f fabs:f fmod:f degrees:f radians:f isfinite:f isinf:f isnan:f copysign:f frexp:f ldexp:f modf:f',
  },
  cmath: { doc: 'Complex-number math', members: 'e:k pi:k cos:f exp:f log:f log10:f phase:f polar:f rect:f sin:f sqrt:f' },
  select: { doc: 'Waiting for streams', members: 'poll:f select:f POLLIN:k POLLOUT:k POLLERR:k POLLHUP:k' },
  asyncio: {
    doc: 'Cooperative multitasking',
    members: 'run:f create_task:f sleep:f sleep_ms:f gather:f wait_for:f wait_for_ms:f current_task:f new_event_loop:f get_event_loop:f Event:c ThreadSafeFlag:c Lock:c Task:c Loop:c open_connection:f start_server:f TimeoutError:c CancelledError:c',
  },
  errno: { doc: 'Error numbers', members: 'EEXIST:k EAGAIN:k EINVAL:k EIO:k ENOENT:k ENOMEM:k ENODEV:k EISDIR:k ENOTDIR:k ETIMEDOUT:k ECONNRESET:k EHOSTUNREACH:k errorcode:k' },
  io: { doc: 'Streams', members: 'open:f StringIO:c BytesIO:c' },
  re: { doc: 'Regular expressions', members: 'compile:f match:f search:f sub:f split:f DEBUG:k' },
  collections: { doc: 'Container types', members: 'deque:c namedtuple:f OrderedDict:c' },
  array: { doc: 'Arrays of numbers', members: 'array:c' },
  heapq: { doc: 'Heap queue', members: 'heappush:f heappop:f heapify:f' },
  zlib: { doc: 'zlib decompression', members: 'decompress:f DecompIO:c' },
  deflate: { doc: 'DEFLATE compression', members: 'DeflateIO:c RAW:k ZLIB:k GZIP:k AUTO:k' },
  framebuf: { doc: 'Frame buffers for displays', members: 'FrameBuffer:c MONO_VLSB:k MONO_HLSB:k MONO_HMSB:k RGB565:k GS2_HMSB:k GS4_HMSB:k GS8:k' },
  neopixel: { doc: 'WS2812 / NeoPixel LED strips', members: 'NeoPixel:c' },
  dht: { doc: 'DHT11/DHT22 temperature and humidity sensors', members: 'DHT11:c DHT22:c' },
  onewire: { doc: '1-Wire bus', members: 'OneWire:c OneWireError:c' },
  ds18x20: { doc: 'DS18B20 temperature sensors', members: 'DS18X20:c' },
  bluetooth: { doc: 'Bluetooth Low Energy', members: 'BLE:c UUID:c FLAG_READ:k FLAG_WRITE:k FLAG_NOTIFY:k FLAG_INDICATE:k FLAG_WRITE_NO_RESPONSE:k' },
  ssl: { doc: 'TLS for sockets', members: 'wrap_socket:f SSLContext:c PROTOCOL_TLS_CLIENT:k PROTOCOL_TLS_SERVER:k CERT_NONE:k CERT_OPTIONAL:k CERT_REQUIRED:k' },
  requests: { doc: 'HTTP client (urequests)', members: 'get:f post:f put:f patch:f delete:f head:f request:f Response:c' },
  urequests: { doc: 'HTTP client', members: 'get:f post:f put:f patch:f delete:f head:f request:f Response:c' },
  umqtt: { doc: 'MQTT clients', members: 'simple:m robust:m' },
  'umqtt.simple': { doc: 'A simple MQTT client', members: 'MQTTClient:c MQTTException:c' },
  ntptime: { doc: 'Set the clock from NTP', members: 'settime:f time:f host:k' },
  webrepl: { doc: 'The REPL over WebSocket', members: 'start:f stop:f' },
  btree: { doc: 'A key-value database', members: 'open:f INCL:k DESC:k' },
  _thread: { doc: 'Threads (experimental)', members: 'start_new_thread:f allocate_lock:f get_ident:f exit:f stack_size:f' },
  uctypes: { doc: 'Access to binary data structures', members: 'struct:c sizeof:f addressof:f bytes_at:f bytearray_at:f LITTLE_ENDIAN:k BIG_ENDIAN:k NATIVE:k UINT8:k INT8:k UINT16:k INT16:k UINT32:k INT32:k' },
  vfs: { doc: 'Filesystem mounting', members: 'mount:f umount:f VfsFat:c VfsLfs2:c VfsPosix:c' },
};

const CLASSES: Record<string, string> = {
  'machine.Pin':
    'init:f value:f on:f off:f toggle:f irq:f mode:f pull:f drive:f low:f high:f ' +
    'IN:k OUT:k OPEN_DRAIN:k ALT:k ALT_OPEN_DRAIN:k ANALOG:k PULL_UP:k PULL_DOWN:k PULL_HOLD:k DRIVE_0:k DRIVE_1:k DRIVE_2:k DRIVE_3:k IRQ_FALLING:k IRQ_RISING:k IRQ_LOW_LEVEL:k IRQ_HIGH_LEVEL:k WAKE_LOW:k WAKE_HIGH:k',
  'machine.Signal': 'value:f on:f off:f',
  'machine.ADC': 'read_u16:f read_uv:f read:f atten:f width:f init:f block:f ATTN_0DB:k ATTN_2_5DB:k ATTN_6DB:k ATTN_11DB:k WIDTH_9BIT:k WIDTH_10BIT:k WIDTH_11BIT:k WIDTH_12BIT:k',
  'machine.PWM': 'init:f deinit:f freq:f duty:f duty_u16:f duty_ns:f',
  'machine.UART': 'init:f deinit:f any:f read:f readinto:f readline:f write:f sendbreak:f flush:f txdone:f irq:f RX_ANY:k CTS:k RTS:k',
  'machine.SPI': 'init:f deinit:f read:f readinto:f write:f write_readinto:f MSB:k LSB:k',
  'machine.SoftSPI': 'init:f deinit:f read:f readinto:f write:f write_readinto:f MSB:k LSB:k',
  'machine.I2C': 'init:f deinit:f scan:f start:f stop:f readinto:f write:f readfrom:f readfrom_into:f writeto:f writevto:f readfrom_mem:f readfrom_mem_into:f writeto_mem:f',
  'machine.SoftI2C': 'init:f scan:f start:f stop:f readinto:f write:f readfrom:f readfrom_into:f writeto:f writevto:f readfrom_mem:f readfrom_mem_into:f writeto_mem:f',
  'machine.RTC': 'init:f datetime:f memory:f',
  'machine.Timer': 'init:f deinit:f value:f ONE_SHOT:k PERIODIC:k',
  'machine.WDT': 'feed:f',
  'machine.TouchPad': 'read:f config:f',
  'network.WLAN':
    'active:f connect:f disconnect:f scan:f status:f isconnected:f ifconfig:f ipconfig:f config:f ' +
    'PM_NONE:k PM_PERFORMANCE:k PM_POWERSAVE:k',
  'socket.socket':
    'close:f bind:f listen:f accept:f connect:f send:f sendall:f recv:f sendto:f recvfrom:f setsockopt:f settimeout:f setblocking:f makefile:f read:f readinto:f readline:f write:f',
  'neopixel.NeoPixel': 'fill:f write:f ORDER:k',
  'dht.DHT11': 'measure:f temperature:f humidity:f',
  'dht.DHT22': 'measure:f temperature:f humidity:f',
  'onewire.OneWire': 'reset:f readbit:f readbyte:f writebit:f writebyte:f write:f read:f select_rom:f scan:f crc8:f',
  'ds18x20.DS18X20': 'scan:f convert_temp:f read_scratch:f write_scratch:f read_temp:f',
  'framebuf.FrameBuffer': 'fill:f pixel:f hline:f vline:f line:f rect:f fill_rect:f ellipse:f poly:f text:f scroll:f blit:f',
  'bluetooth.BLE': 'active:f config:f irq:f gap_advertise:f gap_scan:f gap_connect:f gap_disconnect:f gatts_register_services:f gatts_read:f gatts_write:f gatts_notify:f gatts_indicate:f gattc_discover_services:f gattc_read:f gattc_write:f',
  'umqtt.simple.MQTTClient': 'connect:f disconnect:f ping:f publish:f subscribe:f set_callback:f set_last_will:f wait_msg:f check_msg:f',
  'hashlib.sha256': 'update:f digest:f',
  'asyncio.Event': 'set:f clear:f is_set:f wait:f',
  'asyncio.Lock': 'acquire:f release:f locked:f',
};

function parse(words: string): ApiMember[] {
  return words
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => {
      const [name = '', kind = 'f'] = word.split(':');
      return { name, kind: KINDS[kind] ?? 'function' };
    });
}

/** Every bundled module name, for `import` lines and bare names. */
export const MICROPYTHON_MODULES: readonly { name: string; doc: string }[] = Object.entries(MODULES)
  .filter(([name]) => !name.includes('.'))
  .map(([name, { doc }]) => ({ name, doc }));

/**
 * Members of a dotted expression from the bundled list: `machine` gives the
 * module's members, `machine.Pin` the class's. Empty for anything unknown.
 */
export function bundledMembers(expr: string): readonly ApiMember[] {
  const cls = CLASSES[expr];
  if (cls) return parse(cls);
  const module = MODULES[expr];
  if (module) return parse(module.members);
  return [];
}

export function moduleDoc(name: string): string | undefined {
  return MODULES[name]?.doc;
}
