// Loaded with `node --import` before a built main bundle: maps the bare specifier `electron` to
// the recording stand-in beside this file, so out/main/index.js runs under plain Node.
import { register } from 'node:module'

register('./hooks.mjs', import.meta.url)
