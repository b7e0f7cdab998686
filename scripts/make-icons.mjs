/**
 * Draws the app icons (a yellow sticky note with a folded corner on a warm background) into
 * public/icons/*.png and public/favicon.svg. Plain Node, no image tools: shapes are rasterized at
 * 4x4 samples per pixel and written by the small PNG encoder below. The output is committed; run
 * `node scripts/make-icons.mjs` again only when the artwork changes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Buffer } from 'node:buffer';
import { deflateSync } from 'node:zlib';

const COLORS = {
  background: '#e07b39',
  shadow: '#000000',
  note: '#ffd84d',
  fold: '#f0b92e',
  lines: '#c98f12',
};

/** @typedef {[number, number]} Point */
/**
 * @typedef {{ kind: 'rect', x: number, y: number, w: number, h: number, r: number, color: string, alpha: number }
 *   | { kind: 'polygon', points: Point[], color: string, alpha: number }} Shape
 */

/**
 * The artwork in a 100 x 100 box. `inset` shrinks it toward the center (maskable icons keep
 * everything inside the central 80% circle); `rounded` gives the background rounded corners.
 * @param {{ inset: number, rounded: boolean }} options
 * @returns {Shape[]}
 */
function artwork({ inset, rounded }) {
  const k = (100 - 2 * inset) / 100;
  /** @type {(x: number, y: number) => Point} */
  const p = (x, y) => [inset + x * k, inset + y * k];
  const [x0, y0] = [22, 22];
  const [x1, y1] = [78, 78];
  const fold = 17;
  const body = [p(x0, y0), p(x1, y0), p(x1, y1 - fold), p(x1 - fold, y1), p(x0, y1)];
  const shift = 2.2 * k;
  return [
    { kind: 'rect', x: 0, y: 0, w: 100, h: 100, r: rounded ? 22 : 0, color: COLORS.background, alpha: 1 },
    { kind: 'polygon', points: body.map(([x, y]) => [x + shift, y + shift]), color: COLORS.shadow, alpha: 0.18 },
    { kind: 'polygon', points: body, color: COLORS.note, alpha: 1 },
    { kind: 'polygon', points: [p(x1 - fold, y1 - fold), p(x1, y1 - fold), p(x1 - fold, y1)], color: COLORS.fold, alpha: 1 },
    ...[34, 45, 56].map((y, i) => {
      const [lx, ly] = p(31, y);
      return /** @type {Shape} */ ({ kind: 'rect', x: lx, y: ly, w: (i === 2 ? 20 : 38) * k, h: 4.5 * k, r: 2.25 * k, color: COLORS.lines, alpha: 1 });
    }),
  ];
}

/** @param {string} color @returns {[number, number, number]} */
function hex(color) {
  const n = Number.parseInt(color.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** @param {Shape} shape @param {number} x @param {number} y */
function inside(shape, x, y) {
  if (shape.kind === 'rect') {
    const { x: rx, y: ry, w, h, r } = shape;
    if (x < rx || y < ry || x > rx + w || y > ry + h) return false;
    const cx = Math.min(Math.max(x, rx + r), rx + w - r);
    const cy = Math.min(Math.max(y, ry + r), ry + h - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  }
  // Convex polygon, points in clockwise order (screen coordinates): inside every edge.
  const pts = shape.points;
  for (let i = 0; i < pts.length; i++) {
    const [ax, ay] = pts[i];
    const [bx, by] = pts[(i + 1) % pts.length];
    if ((bx - ax) * (y - ay) - (by - ay) * (x - ax) < 0) return false;
  }
  return true;
}

/** RGBA pixels of the shapes painted in order, each pixel averaged over 4x4 samples. */
/** @param {Shape[]} shapes @param {number} size */
function rasterize(shapes, size) {
  const samples = 4;
  const rgba = Buffer.alloc(size * size * 4);
  const scale = 100 / size;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let [r, g, b, a] = [0, 0, 0, 0];
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) * scale;
          const y = (py + (sy + 0.5) / samples) * scale;
          // Premultiplied "over" compositing of every shape covering this sample.
          let [cr, cg, cb, ca] = [0, 0, 0, 0];
          for (const shape of shapes) {
            if (!inside(shape, x, y)) continue;
            const [sr, sg, sb] = hex(shape.color);
            const sa = shape.alpha;
            cr = sr * sa + cr * (1 - sa);
            cg = sg * sa + cg * (1 - sa);
            cb = sb * sa + cb * (1 - sa);
            ca = sa + ca * (1 - sa);
          }
          r += cr;
          g += cg;
          b += cb;
          a += ca;
        }
      }
      const n = samples * samples;
      const i = (py * size + px) * 4;
      const alpha = a / n;
      rgba[i] = alpha ? Math.round(r / n / alpha) : 0;
      rgba[i + 1] = alpha ? Math.round(g / n / alpha) : 0;
      rgba[i + 2] = alpha ? Math.round(b / n / alpha) : 0;
      rgba[i + 3] = Math.round(alpha * 255);
    }
  }
  return rgba;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** @param {Uint8Array} bytes */
function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** @param {string} type @param {Buffer} data */
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An 8-bit RGBA PNG (color type 6), every row with filter type 0. */
/** @param {Buffer} rgba @param {number} size */
function encodePng(rgba, size) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** @param {Shape[]} shapes */
function svg(shapes) {
  const f = (/** @type {number} */ n) => Number(n.toFixed(2));
  const body = shapes
    .map((s) => {
      const fill = `fill="${s.color}"${s.alpha < 1 ? ` fill-opacity="${s.alpha}"` : ''}`;
      if (s.kind === 'rect') return `<rect x="${f(s.x)}" y="${f(s.y)}" width="${f(s.w)}" height="${f(s.h)}" rx="${f(s.r)}" ${fill}/>`;
      return `<polygon points="${s.points.map(([x, y]) => `${f(x)},${f(y)}`).join(' ')}" ${fill}/>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">${body}</svg>\n`;
}

const publicDir = new URL('../public/', import.meta.url);
mkdirSync(new URL('icons/', publicDir), { recursive: true });
const icons = [
  { file: 'icons/icon-192.png', size: 192, shapes: artwork({ inset: 0, rounded: true }) },
  { file: 'icons/icon-512.png', size: 512, shapes: artwork({ inset: 0, rounded: true }) },
  // Maskable: full-bleed background, the note inside the safe zone (a circle of radius 40%).
  { file: 'icons/maskable-512.png', size: 512, shapes: artwork({ inset: 5, rounded: false }) },
];
for (const { file, size, shapes } of icons) {
  writeFileSync(new URL(file, publicDir), encodePng(rasterize(shapes, size), size));
  console.log(`wrote public/${file}`);
}
writeFileSync(new URL('favicon.svg', publicDir), svg(artwork({ inset: 0, rounded: true })));
console.log('wrote public/favicon.svg');
