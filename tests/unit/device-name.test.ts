import { describe, expect, it } from 'vitest';
import { cleanDeviceName, describeDevice } from '../../src/push/device-name';

describe('describeDevice', () => {
  it.each([
    ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36', 'Chrome on Android', 'android'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1', 'Safari on iPhone', 'ios'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0', 'Edge on Windows', 'windows'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:127.0) Gecko/20100101 Firefox/127.0', 'Firefox on Mac', 'macos'],
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0 Safari/537.36', 'Chrome on Linux', 'linux'],
    ['Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36', 'Chrome on ChromeOS', 'chromeos'],
    ['curl/8.0', 'Browser', ''],
  ])('names %s', (ua, name, platform) => {
    expect(describeDevice(ua)).toEqual({ name, platform });
  });
});

describe('cleanDeviceName', () => {
  it('trims and collapses spaces, and refuses empty or too long names', () => {
    expect(cleanDeviceName('  Desk   laptop ')).toBe('Desk laptop');
    expect(cleanDeviceName('   ')).toBeUndefined();
    expect(cleanDeviceName('x'.repeat(101))).toBeUndefined();
    expect(cleanDeviceName('x'.repeat(100))).toBe('x'.repeat(100));
  });
});
