// How fast the web console's business list (主体列表, /registry/business) shows its first page,
// measured in a real browser (headless /usr/bin/chromium driven by playwright-core) against a
// running `shian serve --web web/dist`. A benchmark, not a test: slow figures do not fail it;
// it exits 1 only on errors (login refused, an API answer ≥ 400, a script error on the page,
// rows that never appear).
//
//   build/release/shian serve --db sqlite:/tmp/weblist/sq3.db --port 18090 --web web/dist &
//   node bench/web_list_timing.mjs
//   SHIAN_URL=http://127.0.0.1:8080 SHIAN_USER=office SHIAN_PASSWORD=... RUNS=20 \
//     SHOT=/tmp/list.png node bench/web_list_timing.mjs
//
// Environment (defaults in brackets):
//   SHIAN_URL       base URL of the server                     [http://127.0.0.1:18090]
//   SHIAN_USER      user with business:view                     [bench]
//   SHIAN_PASSWORD  its password                                [Bench@2026x]
//   RUNS            measured runs per scenario                  [10]
//   WARMUP          unmeasured runs before them                 [2]
//   VIEWPORTS       comma list of desktop (1440×900), phone (390×844)  [desktop,phone]
//   SCENARIOS       comma list of the scenarios below to run       [load,menu,search,township]
//   SEARCH          word typed into the 关键字 box              [火锅]
//   REGION          place code for the township filter          [the first child of the user's root place]
//   SHOT            if set, a full-page screenshot of the desktop list goes there
//   CHROMIUM_PATH   browser binary                              [/usr/bin/chromium]
// playwright-core is loaded from web/node_modules (`cd web && npm ci` first).
//
// Scenarios, each in one logged-in tab (session token in sessionStorage, browser cache warm
// after the warm-up runs):
//   load      page.goto(/registry/business): a full page load (index.html, /auth/me, the lazy
//             route chunk, then the list request)
//   menu      client-side navigation to the list from /registry/import (what a menu click does:
//             router.push on the app's router)
//   search    on a freshly loaded list, SEARCH typed into 关键字 and 搜索 clicked
//   township  page.goto(/registry/business?region=REGION): the list filtered to one township
//             (the URL the dashboard links to and the 区划 filter produces)
// Columns (ms, median / p90 / max over RUNS; times from the browser's own clock):
//   api     list request start → response end (Resource Timing of /api/v1/businesses?…)
//   ttfb    list request start → first response byte (server time + loopback)
//   row     list request start → first row (desktop table row, phone card) in the DOM
//   paint   list request start → the frame after that (rAF + a task: the row is on screen)
//   total   navigation start (load, township) or the click / router.push (menu, search) → paint
//   cpu     CPU time of all browser processes (every thread below this script's process,
//           /proc/…/task/…/schedstat) from just before the navigation or click until the
//           painted row was seen (≤ 20 ms of polling later): steadier than the wall times on a
//           shared machine, where those include waiting for a core
//   main    of that, the renderer's main thread (script, style, layout, paint recording): its
//           work is serial, so on idle cores `total` cannot be much below it
// After the runs it prints every API request of the last desktop page load (start, time, size).
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { cpus, loadavg } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const { chromium } = createRequire(join(repoRoot, 'web', 'package.json'))('playwright-core')

const env = process.env
const BASE = (env.SHIAN_URL ?? 'http://127.0.0.1:18090').replace(/\/+$/, '')
const USER = env.SHIAN_USER ?? 'bench'
const PASSWORD = env.SHIAN_PASSWORD ?? 'Bench@2026x'
const RUNS = Number(env.RUNS ?? 10)
const WARMUP = Number(env.WARMUP ?? 2)
const SEARCH = env.SEARCH ?? '火锅'
const SHOT = env.SHOT ?? ''
const CHROMIUM = env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const ALL_VIEWPORTS = {
  desktop: { name: 'desktop', width: 1440, height: 900, mobile: false },
  phone: { name: 'phone', width: 390, height: 844, mobile: true },
}
const VIEWPORTS = (env.VIEWPORTS ?? 'desktop,phone').split(',').map((name) => {
  const viewport = ALL_VIEWPORTS[name.trim()]
  if (!viewport) throw new Error(`unknown viewport "${name}" (desktop, phone)`)
  return viewport
})
const LIST = '/registry/business'
const ROW = '[data-test=business-row]'
const TIMEOUT = 30_000
const KEYS = ['api', 'ttfb', 'row', 'paint', 'total', 'cpu', 'main']

// Installed in every document before the app runs: logs each time the first list row appears
// or changes (time, text), and the frame after it.
function rowWatcher(rowSelector) {
  const log = []
  window.__rowLog = log
  let last = null
  const check = () => {
    const row = document.querySelector(rowSelector)
    const text = row ? row.textContent.trim() : null
    if (text === last) return
    last = text
    if (!row || !text) return
    const entry = { t: performance.now(), text, painted: null }
    log.push(entry)
    requestAnimationFrame(() => {
      const channel = new MessageChannel()
      channel.port1.onmessage = () => {
        entry.painted = performance.now()
      }
      channel.port2.postMessage(0)
    })
  }
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true })
}

/** Waits in the page for the list request (matching `must`) and a painted row after its start. */
async function collect(page, must) {
  const handle = await page.waitForFunction(
    (mustContain) => {
      const requests = performance
        .getEntriesByType('resource')
        .filter((e) => e.name.includes('/api/v1/businesses?') && e.name.includes(mustContain))
      if (!requests.length) return null
      const request = requests[requests.length - 1]
      const row = window.__rowLog.find((entry) => entry.t >= request.startTime)
      if (!row || row.painted === null) return null
      const api = performance
        .getEntriesByType('resource')
        .filter((e) => e.name.includes('/api/'))
        .map((e) => ({
          path: new URL(e.name).pathname + new URL(e.name).search,
          start: e.startTime,
          time: e.responseEnd - e.startTime,
          ttfb: e.responseStart - e.startTime,
          bytes: e.encodedBodySize,
          decoded: e.decodedBodySize,
        }))
      return {
        start: request.startTime,
        api: request.responseEnd - request.startTime,
        ttfb: request.responseStart - request.startTime,
        row: row.t - request.startTime,
        paint: row.painted - request.startTime,
        painted: row.painted,
        requests: api,
      }
    },
    must,
    { timeout: TIMEOUT, polling: 20 },
  )
  return handle.jsonValue()
}

async function gotoAndCollect(page, path, must, cpu0) {
  cpu0.value = browserThreads()
  await page.goto(`${BASE}${path}`, { waitUntil: 'commit' })
  const result = await collect(page, must)
  return { ...result, total: result.painted }
}

/**
 * ns on a CPU so far of every thread of every process below this one (the browser's
 * processes), by "pid/tid"; `main` marks the renderers' main threads (where the page's script,
 * style and layout run).
 */
function browserThreads() {
  const children = new Map()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (!children.has(ppid)) children.set(ppid, [])
      children.get(ppid).push(name)
    } catch {
      // the process has gone
    }
  }
  const threads = new Map()
  const queue = [...(children.get(process.pid) ?? [])]
  while (queue.length) {
    const pid = queue.pop()
    queue.push(...(children.get(Number(pid)) ?? []))
    try {
      const renderer = readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const ns = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0])
        threads.set(`${pid}/${tid}`, { ns, main: renderer && tid === pid })
      }
    } catch {
      // the process has gone
    }
  }
  return threads
}

/** CPU ms of the browser (all, renderer main threads) since `before` (a browserThreads()). */
function browserCpuSince(before) {
  const cpu = { all: 0, main: 0 }
  for (const [key, thread] of browserThreads()) {
    const ms = (thread.ns - (before.get(key)?.ns ?? 0)) / 1e6
    cpu.all += ms
    if (thread.main) cpu.main += ms
  }
  return cpu
}

const SCENARIOS = {
  async load(page, region, cpu0) {
    return gotoAndCollect(page, LIST, '', cpu0)
  },
  async menu(page, region, cpu0) {
    await page.goto(`${BASE}/registry/import`)
    await page.waitForLoadState('networkidle')
    cpu0.value = browserThreads()
    const t0 = await page.evaluate((list) => {
      performance.clearResourceTimings()
      window.__rowLog.length = 0
      const t = performance.now()
      void document.querySelector('#app').__vue_app__.config.globalProperties.$router.push(list)
      return t
    }, LIST)
    const result = await collect(page, '')
    return { ...result, total: result.painted - t0 }
  },
  async search(page, region, cpu0) {
    await page.goto(`${BASE}${LIST}`)
    await page.locator(ROW).first().waitFor({ timeout: TIMEOUT })
    await page.waitForLoadState('networkidle')
    await page.fill('input[data-test=search-q], [data-test=search-q] input', SEARCH)
    cpu0.value = browserThreads()
    const t0 = await page.evaluate(() => {
      performance.clearResourceTimings()
      window.__rowLog.length = 0
      const t = performance.now()
      document.querySelector('[data-test=search-submit]').click()
      return t
    })
    const result = await collect(page, `q=${encodeURIComponent(SEARCH)}`)
    return { ...result, total: result.painted - t0 }
  },
  async township(page, region, cpu0) {
    return gotoAndCollect(page, `${LIST}?region=${region}`, `region=${region}`, cpu0)
  },
}

const SCENARIO_NAMES = (env.SCENARIOS ?? Object.keys(SCENARIOS).join(',')).split(',').map((name) => {
  if (!SCENARIOS[name.trim()]) throw new Error(`unknown scenario "${name}" (${Object.keys(SCENARIOS).join(', ')})`)
  return name.trim()
})

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]
  return { median: at(0.5), p90: at(0.9), max: sorted[sorted.length - 1] }
}

const fmt = (ms) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1))

async function login(page) {
  await page.goto(`${BASE}/login?redirect=${encodeURIComponent(LIST)}`)
  await page.fill('input[name=username]', USER)
  await page.fill('input[name=password]', PASSWORD)
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login')),
    page.click('button[type=submit]'),
  ])
  if (!response.ok()) throw new Error(`login as ${USER} refused: ${response.status()} ${await response.text()}`)
  await page.waitForURL((url) => url.pathname === LIST, { timeout: TIMEOUT })
  return (await response.json()).token
}

async function firstTownship(token) {
  const get = async (query) => {
    const response = await fetch(`${BASE}/api/v1/regions${query}`, { headers: { Authorization: `Bearer ${token}` } })
    if (!response.ok) throw new Error(`GET /regions${query} → ${response.status}`)
    return (await response.json()).items
  }
  const [root] = await get('')
  const children = await get(`?parent=${root.code}`)
  return (children[0] ?? root).code
}

async function main() {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  const errors = []
  const rows = []
  let loadRequests = null
  let region = env.REGION ?? ''
  const load = () => loadavg().map((l) => l.toFixed(2)).join(' ')
  console.log(`${BASE} as ${USER}; ${WARMUP} warm-up + ${RUNS} runs per scenario; chromium ${browser.version()}`)
  console.log(`load average at start: ${load()} (${cpus().length} CPUs)`)
  try {
    for (const viewport of VIEWPORTS) {
      const context = await browser.newContext({
        viewport: { width: viewport.width, height: viewport.height },
        deviceScaleFactor: 1,
        isMobile: viewport.mobile,
        hasTouch: viewport.mobile,
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
      })
      await context.addInitScript(rowWatcher, ROW)
      const page = await context.newPage()
      page.setDefaultTimeout(TIMEOUT)
      page.on('pageerror', (error) => errors.push(`${viewport.name}: page error: ${error.message}`))
      page.on('response', (response) => {
        if (response.url().includes('/api/') && response.status() >= 400)
          errors.push(`${viewport.name}: ${response.status()} ${response.url()}`)
      })
      const token = await login(page)
      if (!region) region = await firstTownship(token)

      for (const name of SCENARIO_NAMES) {
        const scenario = SCENARIOS[name]
        const results = []
        for (let i = 0; i < WARMUP + RUNS; i++) {
          const cpu0 = { value: new Map() }
          const result = await scenario(page, region, cpu0)
          const cpu = browserCpuSince(cpu0.value)
          result.cpu = cpu.all
          result.main = cpu.main
          if (i >= WARMUP) results.push(result)
        }
        const summary = { viewport: viewport.name, scenario: name }
        for (const key of KEYS) summary[key] = stats(results.map((r) => r[key]))
        rows.push(summary)
        if (name === 'load' && !viewport.mobile) loadRequests = results[results.length - 1].requests
        if (name === 'load') {
          const total = await page.locator('[data-test=list-total]').innerText()
          const shown = await page.locator(ROW).count()
          console.log(`${viewport.name}: list shows "${total.trim()}", ${shown} rows`)
          if (SHOT && !viewport.mobile) {
            await page.waitForLoadState('networkidle')
            await page.screenshot({ path: SHOT, fullPage: true })
            console.log(`screenshot: ${SHOT}`)
          }
        }
      }
      await context.close()
    }
  } finally {
    await browser.close()
  }

  console.log(`load average at end: ${load()}`)
  console.log('\nms, median / p90 / max')
  console.log(['viewport', 'scenario', ...KEYS.map((k) => k.padEnd(14))].join(' | '))
  for (const row of rows) {
    const cells = KEYS.map((key) => `${fmt(row[key].median)}/${fmt(row[key].p90)}/${fmt(row[key].max)}`)
    console.log([row.viewport.padEnd(8), row.scenario.padEnd(8), ...cells.map((c) => c.padEnd(14))].join(' | '))
  }
  if (loadRequests) {
    console.log('\nAPI requests of the last desktop page load (ms since navigation start; bytes on the wire / decoded):')
    for (const r of loadRequests)
      console.log(`  ${fmt(r.start).padStart(6)} +${fmt(r.time).padStart(6)} (ttfb ${fmt(r.ttfb)})  ${String(r.bytes).padStart(7)} / ${String(r.decoded).padStart(7)} B  ${r.path}`)
  }
  if (errors.length) {
    console.log(`\n${errors.length} error(s):\n  ${[...new Set(errors)].join('\n  ')}`)
    process.exit(1)
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : String(error))
  process.exit(1)
})
