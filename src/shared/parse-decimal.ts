// Plain decimal notation, with an optional exponent: "0.001", ".5", "1e-3", "-2".
// "Infinity", "0x10", "1e", "1,5", "" and friends are refused rather than half-read.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

/**
 * The one rule for numbers a person types, in the UI's fields and on the command line alike.
 * @returns the finite number `text` spells (surrounding spaces allowed), or null for anything else.
 */
export function parseDecimal(text: string): number | null {
  const trimmed = text.trim()
  if (!DECIMAL.test(trimmed)) return null
  const value = Number(trimmed)
  return Number.isFinite(value) ? value : null
}
