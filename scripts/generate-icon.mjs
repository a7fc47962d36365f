#!/usr/bin/env node
// Draws the app icon, build/icon.png (512 × 512 RGBA): a Beta(6, 3) density curve, filled, on a
// dark rounded square. electron-builder derives the .icns / .ico / Linux sizes from it.
// Run `node scripts/generate-icon.mjs` after changing the drawing; the PNG is committed.

import { writeFileSync } from 'node:fs'
import { deflateSync } from 'node:zlib'

const SIZE = 512
const SUPERSAMPLE = 4 // per axis: 16 samples a pixel for smooth edges
const CORNER_RADIUS = 104
const PLOT = { left: 84, right: 428, baseline: 396, height: 262 }
const ALPHA = 6
const BETA = 3
const STROKE_HALF_WIDTH = 7
const BASELINE_HALF_WIDTH = 3.5

const COLORS = {
  backgroundTop: [30, 38, 56],
  backgroundBottom: [16, 20, 30],
  fillTop: [72, 205, 184],
  fillBottom: [28, 112, 118],
  stroke: [178, 245, 232],
  baseline: [92, 108, 136]
}

// Unnormalised Beta density, scaled so its mode sits at the top of the plot.
const mode = (ALPHA - 1) / (ALPHA + BETA - 2)
const density = (t) => (t <= 0 || t >= 1 ? 0 : t ** (ALPHA - 1) * (1 - t) ** (BETA - 1))
const peak = density(mode)

function curveY(x) {
  const t = (x - PLOT.left) / (PLOT.right - PLOT.left)
  return PLOT.baseline - (PLOT.height * density(t)) / peak
}

function slope(x) {
  const h = 0.5
  return (curveY(x + h) - curveY(x - h)) / (2 * h)
}

function insideRoundedSquare(x, y) {
  const cx = Math.min(Math.max(x, CORNER_RADIUS), SIZE - CORNER_RADIUS)
  const cy = Math.min(Math.max(y, CORNER_RADIUS), SIZE - CORNER_RADIUS)
  return (x - cx) ** 2 + (y - cy) ** 2 <= CORNER_RADIUS ** 2
}

const mix = (a, b, t) => a.map((value, i) => value + (b[i] - value) * t)

/** Colour and opacity of one sample point, painted back to front. */
function sample(x, y) {
  if (!insideRoundedSquare(x, y)) return [0, 0, 0, 0]
  let color = mix(COLORS.backgroundTop, COLORS.backgroundBottom, y / SIZE)
  const inPlot = x >= PLOT.left && x <= PLOT.right
  if (inPlot && y >= curveY(x) && y <= PLOT.baseline) {
    const t = (y - (PLOT.baseline - PLOT.height)) / PLOT.height
    color = mix(color, mix(COLORS.fillTop, COLORS.fillBottom, t), 0.92)
  }
  if (
    x >= PLOT.left - 24 &&
    x <= PLOT.right + 24 &&
    Math.abs(y - PLOT.baseline) <= BASELINE_HALF_WIDTH
  ) {
    color = COLORS.baseline
  }
  if (inPlot) {
    const distance = Math.abs(y - curveY(x)) / Math.sqrt(1 + slope(x) ** 2)
    if (distance <= STROKE_HALF_WIDTH) color = COLORS.stroke
  }
  return [...color, 255]
}

function render() {
  const pixels = Buffer.alloc(SIZE * SIZE * 4)
  const n = SUPERSAMPLE * SUPERSAMPLE
  for (let py = 0; py < SIZE; py++) {
    for (let px = 0; px < SIZE; px++) {
      const sum = [0, 0, 0, 0]
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const [r, g, b, a] = sample(px + (sx + 0.5) / SUPERSAMPLE, py + (sy + 0.5) / SUPERSAMPLE)
          // Premultiply so transparent corners do not darken the edge.
          sum[0] += (r * a) / 255
          sum[1] += (g * a) / 255
          sum[2] += (b * a) / 255
          sum[3] += a
        }
      }
      const alpha = sum[3] / n
      const offset = (py * SIZE + px) * 4
      for (let i = 0; i < 3; i++)
        pixels[offset + i] = alpha === 0 ? 0 : Math.round(((sum[i] / n) * 255) / alpha)
      pixels[offset + 3] = Math.round(alpha)
    }
  }
  return pixels
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(buffer) {
  let c = 0xffffffff
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type, data) {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

function encodePng(pixels) {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(SIZE, 0)
  header.writeUInt32BE(SIZE, 4)
  header[8] = 8 // bits per channel
  header[9] = 6 // RGBA
  const rows = Buffer.alloc(SIZE * (SIZE * 4 + 1))
  for (let y = 0; y < SIZE; y++) {
    rows[y * (SIZE * 4 + 1)] = 0 // filter: none
    pixels.copy(rows, y * (SIZE * 4 + 1) + 1, y * SIZE * 4, (y + 1) * SIZE * 4)
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0))
  ])
}

const target = new URL('../build/icon.png', import.meta.url)
writeFileSync(target, encodePng(render()))
console.log(`wrote ${target.pathname}`)
