/**
 * `_pw_parts`: the Python models of the parts the board's buses reach (one
 * file each in this folder), installed as one prelude module and imported
 * only when such a part is wired (partsSetup.ts).
 */
import { PART_DHT22_PY } from './partDht22.js';
import { PART_DS18B20_PY } from './partDs18b20.js';
import { PART_SSD1306_PY } from './partSsd1306.js';

export const PARTS_PY = ['\nimport _pinwheel\nimport time as _time\n', PART_DHT22_PY, PART_DS18B20_PY, PART_SSD1306_PY].join('');
