// Reports the gzip size of what the browser loads for the login page (the entry chunk, the
// login route chunk and their static imports) and of each route chunk, from dist/.
// Usage: node scripts/size-report.mjs [--max-login-kb 400]
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

const dist = new URL('../dist/', import.meta.url).pathname
const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'))
const maxIndex = process.argv.indexOf('--max-login-kb')
const maxLoginKb = maxIndex > 0 ? Number(process.argv[maxIndex + 1]) : 400

function gzipKb(file) {
  return gzipSync(readFileSync(join(dist, file)), { level: 9 }).length / 1024
}

/** The chunk files a manifest key loads before it runs: itself and its static imports. */
function closure(key, seen = new Set()) {
  if (seen.has(key)) return seen
  seen.add(key)
  for (const dep of manifest[key]?.imports ?? []) closure(dep, seen)
  return seen
}

function sizeOf(keys) {
  let js = 0
  let css = 0
  const cssFiles = new Set()
  for (const key of keys) {
    js += gzipKb(manifest[key].file)
    for (const file of manifest[key].css ?? []) cssFiles.add(file)
  }
  for (const file of cssFiles) css += gzipKb(file)
  return { js, css }
}

const entry = Object.keys(manifest).find((key) => manifest[key].isEntry)
const loginKey = 'src/views/login/index.vue'
const login = sizeOf(new Set([...closure(entry), ...closure(loginKey)]))

console.log(`login page initial load (gzip): JS ${login.js.toFixed(1)} KB, CSS ${login.css.toFixed(1)} KB`)
console.log('route chunks (gzip, including shared chunks they import):')
for (const key of manifest[entry].dynamicImports ?? []) {
  const size = sizeOf(closure(key))
  console.log(`  ${key.padEnd(40)} JS ${size.js.toFixed(1).padStart(6)} KB  CSS ${size.css.toFixed(1).padStart(5)} KB`)
}
if (login.js > maxLoginKb) {
  console.error(`login page JS ${login.js.toFixed(1)} KB exceeds ${maxLoginKb} KB`)
  process.exit(1)
}
