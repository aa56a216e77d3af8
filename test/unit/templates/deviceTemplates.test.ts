// The new-device templates as data: which files each writes, what config.json holds (the
// program reads everything from it), the topics, and answers the wizard must refuse.
import { describe, expect, it } from 'vitest';
import { TEMPLATES, checkTopicPrefix, deviceFiles, type DeviceAnswers } from '../../../electron/common/templates/deviceTemplates.js';

const base: DeviceAnswers = {
  template: 'led-mqtt',
  wifi: { ssid: 'Home "5G"', password: 'p@ss\\word' },
  broker: { host: '192.168.1.20', port: 1884, user: 'board', password: 's3cret' },
  clientId: '',
  topicPrefix: 'home/desk',
  pin: 5,
  intervalS: 2,
};

describe('deviceFiles', () => {
  it('writes config.json (values quoted by JSON, not pasted into code), boot.py and main.py for a network template', () => {
    const made = deviceFiles(base);
    expect(Object.keys(made.files)).toEqual(['/config.json', '/boot.py', '/main.py']);
    expect(JSON.parse(made.files['/config.json']!)).toEqual({
      pin: 5,
      wifi: { ssid: 'Home "5G"', password: 'p@ss\\word' },
      mqtt: { broker: '192.168.1.20', port: 1884, client_id: '', prefix: 'home/desk', user: 'board', password: 's3cret' },
    });
    // Secrets live in config.json only.
    expect(made.files['/main.py']).not.toContain('s3cret');
    expect(made.files['/boot.py']).not.toContain('p@ss');
    expect(made.packages).toEqual(['umqtt.simple']);
    expect(made.topics).toEqual({ command: 'home/desk/led', state: 'home/desk/led/state' });
  });

  it('gives each template its topics and packages; Blink needs no network and no boot.py', () => {
    expect(deviceFiles({ ...base, template: 'sensor' }).topics).toEqual({ publish: 'home/desk/sensor' });
    expect(JSON.parse(deviceFiles({ ...base, template: 'sensor' }).files['/config.json']!).interval_s).toBe(2);
    expect(deviceFiles({ ...base, template: 'button' }).topics).toEqual({ publish: 'home/desk/alarm' });
    const blink = deviceFiles({ template: 'blink', clientId: '', topicPrefix: '', pin: 2, intervalS: 1 });
    expect(Object.keys(blink.files)).toEqual(['/config.json', '/main.py']);
    expect(blink.packages).toEqual([]);
    expect(JSON.parse(blink.files['/config.json']!)).toEqual({ pin: 2 });
    expect(TEMPLATES.map((t) => t.id)).toEqual(['led-mqtt', 'sensor', 'button', 'blink']);
  });

  it('refuses answers a device could not run with', () => {
    expect(() => deviceFiles({ ...base, topicPrefix: 'a/+/b' })).toThrow('cannot contain "+" or "#"');
    expect(() => deviceFiles({ ...base, topicPrefix: '/lead' })).toThrow('no empty levels');
    expect(() => deviceFiles({ ...base, wifi: undefined })).toThrow('Wi-Fi network name');
    expect(() => deviceFiles({ ...base, broker: undefined })).toThrow('broker address');
    expect(() => deviceFiles({ ...base, pin: 99 })).toThrow('not a pin number');
    expect(checkTopicPrefix('test')).toBeUndefined();
    expect(checkTopicPrefix('')).toMatch(/prefix/);
  });
});
