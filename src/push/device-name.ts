/** A readable default name for this device ("Chrome on Android"), from the user agent; renameable. */

export interface DeviceLabel {
  /** e.g. "Chrome on Android"; at most 100 characters (the rules' limit). */
  name: string;
  /** android, ios, windows, macos, chromeos, linux, or '' when unknown. */
  platform: string;
}

export function describeDevice(userAgent: string): DeviceLabel {
  const ua = userAgent;
  const platform = /Android/i.test(ua)
    ? 'android'
    : /iPhone|iPad|iPod/i.test(ua)
      ? 'ios'
      : /CrOS/i.test(ua)
        ? 'chromeos'
        : /Windows/i.test(ua)
          ? 'windows'
          : /Macintosh|Mac OS X/i.test(ua)
            ? 'macos'
            : /Linux/i.test(ua)
              ? 'linux'
              : '';
  // Order matters: Edge and Opera say "Chrome" too, Chrome says "Safari" too.
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /OPR\/|Opera/.test(ua)
      ? 'Opera'
      : /Firefox\/|FxiOS/.test(ua)
        ? 'Firefox'
        : /SamsungBrowser/.test(ua)
          ? 'Samsung Internet'
          : /Chrome\/|CriOS|Chromium/.test(ua)
            ? 'Chrome'
            : /Safari\//.test(ua)
              ? 'Safari'
              : 'Browser';
  const where: Record<string, string> = {
    android: 'Android',
    ios: /iPad/.test(ua) ? 'iPad' : 'iPhone',
    chromeos: 'ChromeOS',
    windows: 'Windows',
    macos: 'Mac',
    linux: 'Linux',
  };
  const name = platform ? `${browser} on ${where[platform]}` : browser;
  return { name: name.slice(0, 100), platform };
}

/** Cleans a name typed by the person: trimmed, single spaces, 1 to 100 characters, or undefined. */
export function cleanDeviceName(input: string): string | undefined {
  const name = input.replace(/\s+/g, ' ').trim();
  return name.length >= 1 && name.length <= 100 ? name : undefined;
}
