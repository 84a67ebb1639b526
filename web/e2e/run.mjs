// End-to-end test of the web console against the real server.
//
//   SHIAN_BIN=/path/to/shian node e2e/run.mjs
//
// Creates a temporary SQLite database with `shian demo`, starts `shian serve --port 0` on it
// with web/dist, and drives /usr/bin/chromium (playwright-core) through the main flows at
// desktop (1440×900) and phone (390×844) size. Screenshots go to build/screenshots/ at the
// repository root. Prints one line per check and a final `N passed, M failed`; exits 1 on
// any failure.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const here = dirname(fileURLToPath(import.meta.url))
const webRoot = resolve(here, '..')
const repoRoot = resolve(webRoot, '..')
const distDir = join(webRoot, 'dist')
const shotDir = join(repoRoot, 'build', 'screenshots')
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const PASSWORD = 'Shian@2026'

const VIEWPORTS = [
  { name: 'desktop', width: 1440, height: 900, mobile: false },
  { name: 'phone', width: 390, height: 844, mobile: true },
]

const results = { passed: 0, failed: 0 }

function fail(message) {
  throw new Error(message)
}

function expect(condition, message) {
  if (!condition) fail(message)
}

async function check(name, fn) {
  const started = Date.now()
  try {
    await fn()
    results.passed += 1
    console.log(`ok - ${name} (${Date.now() - started} ms)`)
  } catch (error) {
    results.failed += 1
    console.log(`not ok - ${name}: ${error instanceof Error ? error.message : String(error)}`)
  }
}

// --- identifiers (same algorithms as src/utils/validators.ts) ---------------------------------

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

function usccCheckChar(first17) {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(first17[i]) * USCC_WEIGHTS[i]
  return USCC_ALPHABET[(31 - (sum % 31)) % 31]
}

/** A valid USCC registered in 巴州区 whose serial part is derived from `n`. */
function makeUscc(n) {
  const serial = String(n).padStart(9, '0').slice(-9)
  const first17 = `92511902${serial}`
  return first17 + usccCheckChar(first17)
}

function wrongCheckChar(uscc) {
  const right = uscc[17]
  const wrong = USCC_ALPHABET[(USCC_ALPHABET.indexOf(right) + 1) % 31]
  return uscc.slice(0, 17) + wrong
}

// --- the server ---------------------------------------------------------------------------------

function startServer(bin, db) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(bin, ['serve', '--port', '0', '--db', db, '--web', distDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const stderr = []
    child.stderr.on('data', (chunk) => stderr.push(chunk))
    const timer = setTimeout(() => {
      child.kill('SIGTERM')
      reject(new Error(`server did not print its address within 60 s\n${Buffer.concat(stderr).toString()}`))
    }, 60_000)
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${code}\n${Buffer.concat(stderr).toString()}`))
    })
    const lines = createInterface({ input: child.stdout })
    lines.on('line', (line) => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line)
      if (match) {
        clearTimeout(timer)
        resolvePromise({ child, baseUrl: match[1], stderr })
      }
    })
  })
}

function stopServer(child) {
  return new Promise((resolvePromise) => {
    if (child.exitCode !== null) {
      resolvePromise()
      return
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
    child.once('exit', () => {
      clearTimeout(timer)
      resolvePromise()
    })
    child.kill('SIGTERM')
  })
}

class Api {
  constructor(baseUrl) {
    this.baseUrl = baseUrl
    this.token = ''
  }

  async login(username) {
    const response = await fetch(`${this.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password: PASSWORD }),
    })
    expect(response.ok, `API login as ${username} failed with ${response.status}`)
    this.token = (await response.json()).token
    return this
  }

  async raw(path, init = {}) {
    return fetch(`${this.baseUrl}/api/v1${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${this.token}`, ...(init.headers ?? {}) },
    })
  }

  async get(path) {
    const response = await this.raw(path)
    expect(response.ok, `GET ${path} → ${response.status} ${await response.clone().text()}`)
    return response.json()
  }

  async post(path, body) {
    const response = await this.raw(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    })
    expect(response.ok, `POST ${path} → ${response.status} ${await response.clone().text()}`)
    return response.json()
  }

  async total(query = '') {
    return (await this.get(`/businesses?page_size=1${query ? `&${query}` : ''}`)).total
  }
}

// --- CSV ----------------------------------------------------------------------------------------

function parseCsvLine(line) {
  const cells = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const char = line[i]
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        cell += '"'
        i++
      } else if (char === '"') quoted = false
      else cell += char
    } else if (char === '"') quoted = true
    else if (char === ',') {
      cells.push(cell)
      cell = ''
    } else cell += char
  }
  cells.push(cell)
  return cells
}

function csvCell(value) {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

/** The CSV template from the server, as a header and its sample row. */
async function fetchTemplate(api) {
  const response = await api.raw('/businesses/template?format=csv')
  expect(response.ok, `template download → ${response.status}`)
  const text = (await response.text()).replace(/^\uFEFF/, '')
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '')
  return { header: parseCsvLine(lines[0]), sample: parseCsvLine(lines[1] ?? '') }
}

function buildCsv(template, rows) {
  const lines = [template.header.map(csvCell).join(',')]
  for (const overrides of rows) {
    const cells = template.header.map((column, index) =>
      column in overrides ? overrides[column] : (template.sample[index] ?? ''),
    )
    lines.push(cells.map(csvCell).join(','))
  }
  return `${lines.join('\r\n')}\r\n`
}

// --- browser helpers ----------------------------------------------------------------------------

async function shot(page, viewport, name) {
  await page.evaluate(() => window.scrollTo(0, 0))
  await page.waitForTimeout(300)
  await page.screenshot({ path: join(shotDir, `${viewport.name}-${name}.png`), fullPage: true })
}

async function settle(page) {
  await page.waitForLoadState('networkidle')
  await page
    .waitForFunction(() => !document.querySelector('.el-loading-mask'), null, { timeout: 10_000 })
    .catch(() => undefined)
  // Element Plus tags and menus fade/zoom in: wait for CSS transitions and animations to end,
  // so screenshots show the page as a person sees it a moment later.
  await page
    .waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'), null, {
      timeout: 5_000,
    })
    .catch(() => undefined)
}

async function login(page, baseUrl, username, password = PASSWORD) {
  if (!page.url().includes('/login')) await page.goto(`${baseUrl}/login`)
  await page.fill('input[name=username]', username)
  await page.fill('input[name=password]', password)
  await Promise.all([
    page.waitForResponse((response) => response.url().endsWith('/api/v1/auth/login')),
    page.click('button[type=submit]'),
  ])
}

async function loggedIn(page, baseUrl, username) {
  await page.goto(`${baseUrl}/login`)
  await login(page, baseUrl, username)
  await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 15_000 })
  await settle(page)
}

async function noHorizontalOverflow(page, viewport, where) {
  if (!viewport.mobile) return
  const widths = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }))
  expect(widths.scroll <= widths.client + 1, `${where}: page is ${widths.scroll}px wide on a ${widths.client}px screen`)
}

async function listRows(page, viewport) {
  const container = viewport.mobile ? '[data-test=business-cards]' : '[data-test=business-table]'
  await page.waitForSelector(container)
  return page.locator(`${container} [data-test=business-row]`)
}

async function listTotal(page) {
  const text = await page.locator('[data-test=list-total]').innerText()
  const match = /共\s*([\d,]+)/.exec(text)
  expect(match, `list total not shown: "${text}"`)
  return Number(match[1].replaceAll(',', ''))
}

/** The <input> of an Element Plus input given a data-test (the attribute lands on the input). */
function field(name) {
  return `input[data-test=${name}], [data-test=${name}] input`
}

async function formError(page, itemSelector) {
  const error = page.locator(`${itemSelector} .el-form-item__error`)
  await error.waitFor({ timeout: 5_000 })
  return error.innerText()
}

// --- flows --------------------------------------------------------------------------------------

async function runViewport(browser, baseUrl, viewport, fixtures) {
  const context = await browser.newContext({
    viewport: { width: viewport.width, height: viewport.height },
    deviceScaleFactor: 1,
    isMobile: viewport.mobile,
    hasTouch: viewport.mobile,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
  })
  const page = await context.newPage()
  page.setDefaultTimeout(15_000)
  const dialogs = []
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message())
    void dialog.dismiss()
  })
  const pageErrors = []
  page.on('pageerror', (error) => pageErrors.push(error.message))
  const v = viewport.name
  const { office } = fixtures

  await check(`${v}: login page shows the server's message for a wrong password`, async () => {
    await page.goto(`${baseUrl}/login`)
    await shot(page, viewport, 'login')
    await login(page, baseUrl, 'cadre', 'wrong-password')
    const alert = page.locator('[data-test=login-error]')
    await alert.waitFor()
    const text = await alert.innerText()
    expect(/密码|用户名/.test(text), `unexpected login error text "${text}"`)
    await shot(page, viewport, 'login-error')
    await noHorizontalOverflow(page, viewport, 'login')
  })

  if (!viewport.mobile) {
    await check(`${v}: a locked account (423) shows the server's message`, async () => {
      for (let attempt = 0; attempt < 5; attempt++) {
        await fetch(`${baseUrl}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ username: 'public', password: `wrong-${attempt}` }),
        })
      }
      await page.goto(`${baseUrl}/login`)
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login')),
        login(page, baseUrl, 'public'),
      ])
      expect(response.status() === 423, `login of a locked account answered ${response.status()}`)
      const text = await page.locator('[data-test=login-error]').innerText()
      const body = await response.json()
      expect(text.trim() === body.error.message, `shown "${text}", server said "${body.error.message}"`)
      await shot(page, viewport, 'login-locked')
    })
  }

  await check(`${v}: office logs in and the dashboard totals equal the API's counts`, async () => {
    await page.goto(`${baseUrl}/login`)
    await login(page, baseUrl, 'office')
    await page.waitForURL(/\/dashboard/)
    await settle(page)
    await page.waitForSelector('[data-test=chart-kind] canvas')
    for (const by of ['kind', 'region', 'risk_grade', 'status']) {
      const stats = await office.get(`/stats/businesses?by=${by}`)
      const sum = stats.rows.reduce((total, row) => total + row.count, 0)
      const shown = Number(await page.getAttribute(`[data-test=chart-${by}]`, 'data-total'))
      expect(shown === stats.total, `chart ${by} shows ${shown}, API total is ${stats.total}`)
      expect(sum === stats.total, `API rows for ${by} add up to ${sum}, total is ${stats.total}`)
    }
    const total = await office.total()
    const card = (await page.locator('[data-test=card-total]').innerText()).replace(/[^\d]/g, '')
    expect(Number(card) === total, `card shows ${card}, businesses total is ${total}`)
    const user = await page.locator(viewport.mobile ? '[data-test=user-menu]' : '[data-test=user-info]').innerText()
    expect(user.includes('食安办') || viewport.mobile, `top bar lacks the role label: "${user}"`)
    await shot(page, viewport, 'dashboard')
    await noHorizontalOverflow(page, viewport, 'dashboard')
  })

  await check(`${v}: clicking a pie slice opens the business list filtered by it`, async () => {
    const canvas = page.locator('[data-test=chart-status] canvas').first()
    await canvas.scrollIntoViewIfNeeded()
    const box = await canvas.boundingBox()
    expect(box, 'status chart not drawn')
    const centerY = box.y + box.height * (viewport.mobile ? 0.44 : 0.5)
    const radius = Math.min(box.width, box.height) / 2
    const ring = radius * (viewport.mobile ? (0.36 + 0.66) / 2 : (0.35 + 0.62) / 2)
    await page.mouse.click(box.x + box.width / 2, centerY + ring)
    await page.waitForURL(/\/registry\/business\?status=/)
    await settle(page)
    const status = new URL(page.url()).searchParams.get('status')
    expect(status === '营业', `filtered by status ${status}`)
    const expected = await office.total(`status=${encodeURIComponent('营业')}`)
    expect((await listTotal(page)) === expected, `list total differs from the API (${expected})`)
    await page.goto(`${baseUrl}/dashboard`)
    await settle(page)
  })

  if (viewport.mobile) {
    await check(`${v}: the menu opens as a drawer`, async () => {
      await page.click('[data-test=menu-toggle]')
      const drawer = page.locator('.menu-drawer')
      await drawer.waitFor({ state: 'visible' })
      const text = await drawer.innerText()
      expect(text.includes('主体档案') && text.includes('首页数据看板'), `drawer menu: "${text}"`)
      expect(!text.includes('用户管理'), 'office sees 用户管理 in the menu')
      await shot(page, viewport, 'menu-drawer')
      await page.keyboard.press('Escape')
      await drawer.waitFor({ state: 'hidden' })
    })
  } else {
    await check(`${v}: the menu lists only what office may do`, async () => {
      const menu = await page.locator('.layout-sidebar').textContent()
      expect(menu.includes('主体列表') && menu.includes('批量导入'), `menu: "${menu}"`)
      expect(!menu.includes('用户管理') && !menu.includes('角色与权限'), `office menu shows system pages: "${menu}"`)
    })
  }

  await check(`${v}: searching 火锅 finds businesses`, async () => {
    await page.goto(`${baseUrl}/registry/business`)
    await settle(page)
    await page.fill(field('search-q'), '火锅')
    await Promise.all([
      page.waitForResponse((response) => response.url().includes('/api/v1/businesses?') && response.url().includes('q=')),
      page.click('[data-test=search-submit]'),
    ])
    await settle(page)
    const rows = await listRows(page, viewport)
    const count = await rows.count()
    const expected = await office.total(`q=${encodeURIComponent('火锅')}`)
    expect(expected > 0, 'the API finds no 火锅 business in the demo data')
    expect(count > 0, 'no rows shown for 火锅')
    expect((await listTotal(page)) === expected, `list total differs from the API (${expected})`)
    expect(page.url().includes('q=%E7%81%AB%E9%94%85'), `search not kept in the URL: ${page.url()}`)
    await shot(page, viewport, 'business-list-search')
    await noHorizontalOverflow(page, viewport, 'business list')
  })

  await check(`${v}: business detail shows fields, history and audit trail`, async () => {
    const rows = await listRows(page, viewport)
    const first = rows.first()
    const name = (await first.innerText()).split('\n')[0].trim()
    if (viewport.mobile) await first.click()
    else await first.click()
    await page.waitForURL(/\/registry\/business\/\d+$/)
    await settle(page)
    const title = await page.locator('[data-test=business-name]').innerText()
    expect(name.startsWith(title) || title.startsWith(name), `detail title "${title}" for row "${name}"`)
    const body = await page.locator('.business-detail').innerText()
    for (const label of ['统一社会信用代码', '相关人员', '经营状态变更记录', '风险等级变更记录', '操作记录']) {
      expect(body.includes(label), `detail lacks ${label}`)
    }
    await shot(page, viewport, 'business-detail')
    await noHorizontalOverflow(page, viewport, 'business detail')
  })

  await check(`${v}: a wrong USCC check character is reported at the field`, async () => {
    await page.goto(`${baseUrl}/registry/business/create`)
    await settle(page)
    await page.fill(field('field-name'), `E2E校验测试${v}`)
    const wrong = wrongCheckChar(makeUscc(Date.now() % 1e9))
    await page.fill(field('field-uscc'), wrong)
    await page.locator(field('field-uscc')).blur()
    const message = await formError(page, '[data-test=item-uscc]')
    expect(message.includes('校验位错误'), `field message: "${message}"`)
    await page.click('[data-test=save]')
    await page.waitForTimeout(500)
    expect(page.url().endsWith('/registry/business/create'), 'the form was saved despite the wrong USCC')
    await shot(page, viewport, 'business-create-invalid')
    await noHorizontalOverflow(page, viewport, 'business form')
  })

  if (!viewport.mobile) {
    await check(`${v}: a new business is created through the form`, async () => {
      await page.goto(`${baseUrl}/registry/business/create`)
      await settle(page)
      const name = `E2E新增火锅店${Date.now() % 100000}`
      await page.fill(field('field-name'), name)
      await page.fill(field('field-uscc'), makeUscc(Date.now() % 1e9))
      await page.click('[data-test=field-kind]')
      await page.locator('.el-select-dropdown__item:visible', { hasText: '餐饮服务' }).first().click()
      await page.click('[data-test=field-region]')
      const panel = page.locator('.el-cascader-panel:visible')
      await panel.locator('.el-cascader-node', { hasText: '巴州区' }).first().click()
      await panel.locator('.el-cascader-menu').nth(1).locator('.el-cascader-node', { hasText: '东城街道' }).first().locator('.el-radio').click()
      await page.keyboard.press('Escape')
      await page.fill(field('field-address'), '巴州区东城街道E2E路1号')
      await Promise.all([
        page.waitForResponse((response) => response.url().endsWith('/api/v1/businesses') && response.request().method() === 'POST'),
        page.click('[data-test=save]'),
      ])
      await page.waitForURL(/\/registry\/business\/\d+$/)
      await settle(page)
      const title = await page.locator('[data-test=business-name]').innerText()
      expect(title === name, `created business shows "${title}"`)
      const trail = await page.locator('.business-detail').innerText()
      expect(trail.includes('新增'), 'the audit trail does not show the creation')
      await shot(page, viewport, 'business-created')
    })

    await check(`${v}: a business name with HTML renders as text`, async () => {
      const created = await office.post('/businesses', {
        name: fixtures.htmlName,
        uscc: makeUscc(Date.now() % 1e9 + 7),
        kind: 'catering',
        region_code: '511902001',
        address: '测试地址',
        status: '营业',
        people: [],
        tags: [],
      })
      await page.goto(`${baseUrl}/registry/business/${created.id}`)
      await settle(page)
      const title = await page.locator('[data-test=business-name]').innerText()
      expect(title === fixtures.htmlName, `title rendered as "${title}"`)
      expect((await page.locator('.business-detail img[src=x]').count()) === 0, 'the name was rendered as HTML')
      expect(!dialogs.some((message) => message === '1'), 'alert(1) ran')
      await shot(page, viewport, 'business-detail-html-name')
    })

    await check(`${v}: the edit form loads the record and shows a 409 with 重新加载`, async () => {
      const list = await office.get('/businesses?page_size=1&sort=name')
      const target = list.items[0]
      await page.goto(`${baseUrl}/registry/business/${target.id}/edit`)
      await settle(page)
      expect((await page.inputValue(field('field-name'))) === target.name, 'edit form did not load the name')
      const response = await office.raw(`/businesses/${target.id}`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ version: target.version, address: `${target.address}（E2E并发修改）` }),
      })
      expect(response.ok, `concurrent PATCH failed: ${response.status}`)
      await page.fill(field('field-name'), `${target.name}E2E`)
      await page.click('[data-test=save]')
      await page.locator('[data-test=conflict]').waitFor()
      await shot(page, viewport, 'business-edit-conflict')
      await page.click('[data-test=conflict-reload]')
      await page.locator('[data-test=conflict]').waitFor({ state: 'detached' })
      expect((await page.inputValue(field('field-name'))) === target.name, 'reload did not restore the record')
    })
  }

  await check(`${v}: importing a CSV with one bad row reports that row and stores nothing`, async () => {
    const before = await office.total()
    const good = makeUscc(Date.now() % 1e9 + 11)
    const bad = wrongCheckChar(makeUscc(Date.now() % 1e9 + 13))
    const csv = buildCsv(fixtures.template, [
      { 主体名称: `E2E导入好行${v}`, 统一社会信用代码: good },
      { 主体名称: `E2E导入坏行${v}`, 统一社会信用代码: bad },
    ])
    const file = join(fixtures.tmp, `import-${v}.csv`)
    writeFileSync(file, csv)
    await page.goto(`${baseUrl}/registry/import`)
    await settle(page)
    await page.setInputFiles('.el-upload input[type=file]', file)
    await Promise.all([
      page.waitForResponse((response) => response.url().includes('/businesses/import')),
      page.click('[data-test=import-dry-run]'),
    ])
    const table = page.locator('[data-test=import-rejected-table]')
    await table.waitFor()
    const text = await table.innerText()
    expect(/(^|\D)3(\D|$)/.test(text), `rejected table does not name row 3: "${text}"`)
    expect(text.includes('统一社会信用代码'), `rejected table does not name the column: "${text}"`)
    const rowCount = await table.locator('.rejected-row').count()
    expect(rowCount === 1, `expected one rejected row, got ${rowCount}`)
    expect(await page.locator('[data-test=import-commit]').isDisabled(), 'real import enabled after a rejected dry run')
    const after = await office.total()
    expect(after === before, `total changed from ${before} to ${after}`)
    await shot(page, viewport, 'import-rejected')
    await noHorizontalOverflow(page, viewport, 'import')
  })

  if (!viewport.mobile) {
    await check(`${v}: a clean CSV passes the dry run and then imports`, async () => {
      const before = await office.total()
      const csv = buildCsv(fixtures.template, [
        { 主体名称: 'E2E导入新主体', 统一社会信用代码: makeUscc(Date.now() % 1e9 + 17) },
      ])
      const file = join(fixtures.tmp, 'import-clean.csv')
      writeFileSync(file, csv)
      await page.goto(`${baseUrl}/registry/import`)
      await settle(page)
      await page.setInputFiles('.el-upload input[type=file]', file)
      await page.click('[data-test=import-dry-run]')
      await page.locator('[data-test=import-checked]').waitFor()
      expect((await office.total()) === before, 'the dry run stored rows')
      await page.click('[data-test=import-commit]')
      await page.locator('[data-test=import-done]').waitFor()
      const inserted = Number(await page.locator('[data-test=import-inserted]').innerText())
      expect(inserted === 1, `inserted shows ${inserted}`)
      expect((await office.total()) === before + 1, 'the import did not add one business')
      await shot(page, viewport, 'import-done')
      // The same file again: one stored row, equal to the file, so nothing is written.
      await page.goto(`${baseUrl}/registry/import`)
      await settle(page)
      await page.setInputFiles('.el-upload input[type=file]', file)
      await page.click('[data-test=import-dry-run]')
      const checked = await page.locator('[data-test=import-checked]').innerText()
      expect(checked.includes('更新 1 条（其中 1 条与库中一致，不会改动）'), `dry run says "${checked}"`)
      await page.click('[data-test=import-commit]')
      await page.locator('[data-test=import-done]').waitFor()
      const same = await page.locator('[data-test=import-unchanged]').innerText()
      expect(same.includes('其中 1 条与库中一致'), `import says "${same}"`)
      expect((await office.total()) === before + 1, 'the repeated import added a business')
    })

    await check(`${v}: export downloads a file with the current filters`, async () => {
      await page.goto(`${baseUrl}/registry/business?q=${encodeURIComponent('火锅')}`)
      await settle(page)
      await page.click('[data-test=export]')
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('.el-dropdown-menu__item:visible', { hasText: 'CSV' }).click(),
      ])
      const path = join(fixtures.tmp, 'export.csv')
      await download.saveAs(path)
      expect(download.suggestedFilename().endsWith('.csv'), `download named ${download.suggestedFilename()}`)
    })
  }

  await check(`${v}: an expired session returns to 登录 and back after login`, async () => {
    await page.evaluate(() => sessionStorage.setItem('shian.token', 'expired-token'))
    await page.goto(`${baseUrl}/registry/business?q=${encodeURIComponent('火锅')}`)
    await page.waitForURL(/\/login\?redirect=/)
    const redirect = new URL(page.url()).searchParams.get('redirect')
    expect(redirect === `/registry/business?q=${encodeURIComponent('火锅')}`, `redirect is ${redirect}`)
    await login(page, baseUrl, 'office')
    await page.waitForURL(/\/registry\/business\?q=/)
  })

  await check(`${v}: 404 page for an unknown address`, async () => {
    await page.goto(`${baseUrl}/no/such/page`)
    await page.locator('[data-test=not-found]').waitFor()
    await shot(page, viewport, 'not-found')
  })

  await check(`${v}: 403 page for a page the role may not open`, async () => {
    await page.goto(`${baseUrl}/system/user`)
    await page.locator('[data-test=forbidden]').waitFor()
    await shot(page, viewport, 'forbidden')
  })

  await check(`${v}: logout calls the server and ends the session`, async () => {
    const token = await page.evaluate(() => sessionStorage.getItem('shian.token'))
    if (viewport.mobile) {
      await page.click('[data-test=user-menu]')
      await page.locator('.el-dropdown-menu__item:visible', { hasText: '退出登录' }).click()
    } else {
      await page.click('[data-test=logout]')
    }
    await page.locator('.el-message-box__btns button', { hasText: '退出' }).click()
    await page.waitForURL(/\/login/)
    const response = await fetch(`${baseUrl}/api/v1/auth/me`, { headers: { Authorization: `Bearer ${token}` } })
    expect(response.status === 401, `old token still works after logout (${response.status})`)
  })

  await check(`${v}: inspector of 东城街道 cannot see a 西城街道 business`, async () => {
    const target = fixtures.westBusiness
    await loggedIn(page, baseUrl, 'inspector')
    await page.goto(`${baseUrl}/registry/business?q=${encodeURIComponent(target.name)}`)
    await settle(page)
    const rows = await listRows(page, viewport)
    const names = await rows.allInnerTexts()
    expect(!names.some((text) => text.includes(target.name)), `inspector sees ${target.name}`)
    await shot(page, viewport, 'inspector-list')
    await page.goto(`${baseUrl}/registry/business/${target.id}`)
    await page.locator('[data-test=not-found], [data-test=forbidden]').first().waitFor()
    expect(new URL(page.url()).pathname === `/registry/business/${target.id}`, `address changed to ${page.url()}`)
    await shot(page, viewport, 'inspector-other-township')
  })

  await check(`${v}: a business account lands on its own business`, async () => {
    await loggedIn(page, baseUrl, 'business')
    expect(/^\/registry\/business\/\d+$/.test(new URL(page.url()).pathname), `business lands on ${page.url()}`)
    await page.locator('[data-test=business-name]').waitFor()
    await settle(page)
    await shot(page, viewport, 'business-account')
    await noHorizontalOverflow(page, viewport, 'business account')
  })

  await check(`${v}: admin pages load`, async () => {
    await loggedIn(page, baseUrl, 'admin')
    const pages = [
      ['system/user', 'system-user'],
      ['system/dept', 'system-dept'],
      ['system/role', 'system-role'],
      ['system/dict', 'system-dict'],
      ['system/audit', 'system-audit'],
      ['system/region', 'system-region'],
      ['registry/business', 'business-list'],
      ['registry/import', 'import'],
      ['registry/business/create', 'business-create'],
    ]
    for (const [path, name] of pages) {
      await page.goto(`${baseUrl}/${path}`)
      await settle(page)
      const errors = await page.locator('.el-alert--error:visible').allInnerTexts()
      expect(errors.length === 0, `${path} shows an error: ${errors.join(' | ')}`)
      await shot(page, viewport, name)
      await noHorizontalOverflow(page, viewport, path)
    }
    const users = await page.goto(`${baseUrl}/system/user`).then(() => settle(page)).then(() => page.locator('.el-table__body tr, .user-card').count())
    expect(users > 0, 'user list is empty')
  })

  if (!viewport.mobile) {
    await check(`${v}: admin creates a department, a user, resets the password and disables the user`, async () => {
      const admin = await new Api(baseUrl).login('admin')
      const suffix = Date.now() % 100000
      const deptName = `东城市场监管所E2E${suffix}`
      await page.goto(`${baseUrl}/system/dept`)
      await settle(page)
      await page.getByRole('button', { name: '新增部门/监管所' }).click()
      const deptDialog = page.locator('.el-dialog:visible')
      await deptDialog.locator('input').first().fill(deptName)
      await deptDialog.locator('.region-cascader').click()
      await page.locator('.el-cascader-panel:visible .el-cascader-node', { hasText: '巴州区' }).first().locator('.el-radio').click()
      await page.keyboard.press('Escape')
      await Promise.all([
        page.waitForResponse((response) => response.url().endsWith('/api/v1/departments') && response.request().method() === 'POST'),
        deptDialog.getByRole('button', { name: '保存' }).click(),
      ])
      await page.locator('.el-table', { hasText: deptName }).waitFor()
      await shot(page, viewport, 'system-dept-created')

      const username = `e2e_${suffix}`
      await page.goto(`${baseUrl}/system/user`)
      await settle(page)
      await page.getByRole('button', { name: '新增用户' }).click()
      const dialog = page.locator('.el-dialog:visible')
      const inputs = dialog.locator('.el-form-item')
      await inputs.filter({ hasText: '用户名' }).locator('input').fill(username)
      await inputs.filter({ hasText: '初始密码' }).locator('input').fill('E2e@Passw0rd2026')
      await inputs.filter({ hasText: '姓名' }).locator('input').fill('测试检查员')
      await inputs.filter({ hasText: '角色' }).locator('.el-select').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: '监管所检查员' }).click()
      await inputs.filter({ hasText: '管辖区划' }).locator('.region-cascader').click()
      const panel = page.locator('.el-cascader-panel:visible')
      await panel.locator('.el-cascader-node', { hasText: '巴州区' }).first().click()
      await panel.locator('.el-cascader-menu').nth(1).locator('.el-cascader-node', { hasText: '东城街道' }).first().locator('.el-radio').click()
      await page.keyboard.press('Escape')
      await shot(page, viewport, 'system-user-create')
      await Promise.all([
        page.waitForResponse((response) => response.url().endsWith('/api/v1/users') && response.request().method() === 'POST'),
        dialog.getByRole('button', { name: '保存' }).click(),
      ])
      const row = page.locator('.el-table__body tr', { hasText: username })
      await row.first().waitFor()

      await row.first().getByRole('button', { name: '重置密码' }).click()
      const box = page.locator('.el-message-box:visible')
      await box.locator('input').fill('E2e@NewPass2026')
      await Promise.all([
        page.waitForResponse((response) => response.url().includes('/password')),
        box.getByRole('button', { name: '确定' }).click(),
      ])
      const relogin = await fetch(`${baseUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username, password: 'E2e@NewPass2026' }),
      })
      expect(relogin.ok, `login with the reset password failed: ${relogin.status}`)

      const fixedRow = page.locator('.el-table__fixed-right .el-table__body tr, .el-table__body tr', { hasText: username })
      await fixedRow.first().getByRole('button', { name: '停用' }).click()
      await Promise.all([
        page.waitForResponse((response) => /\/api\/v1\/users\/\d+$/.test(response.url()) && response.request().method() === 'PATCH'),
        page.locator('.el-message-box__btns button', { hasText: '停用' }).click(),
      ])
      const users = await admin.get(`/users?q=${username}`)
      const created = users.items.find((item) => item.username === username)
      expect(created, `user ${username} not found through the API`)
      expect(created.disabled === true, 'the user is not disabled')
      expect(created.region_code === '511902001', `user region is ${created.region_code}`)
      expect(created.role === 'inspector', `user role is ${created.role}`)
      await shot(page, viewport, 'system-user-disabled')
    })

    await check(`${v}: admin grants a permission to a role`, async () => {
      const admin = await new Api(baseUrl).login('admin')
      const before = (await admin.get('/roles')).items.find((role) => role.code === 'cadre')
      expect(before && !before.permissions.includes('registry:business:export'), 'cadre already may export')
      await page.goto(`${baseUrl}/system/role`)
      await settle(page)
      await page.locator('.el-table__body tr', { hasText: 'cadre' }).click()
      await page.locator('.el-checkbox', { hasText: 'registry:business:export' }).click()
      await Promise.all([
        page.waitForResponse((response) => response.url().endsWith('/roles/cadre/permissions') && response.request().method() === 'PUT'),
        page.getByRole('button', { name: '保存' }).click(),
      ])
      const after = (await admin.get('/roles')).items.find((role) => role.code === 'cadre')
      expect(after.permissions.includes('registry:business:export'), 'the permission was not saved')
      await shot(page, viewport, 'system-role-saved')
      const reverted = await admin.raw('/roles/cadre/permissions', {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ permissions: before.permissions }),
      })
      expect(reverted.ok, `reverting the role failed: ${reverted.status}`)
    })

    await check(`${v}: admin creates a role that sees two townships (custom data scope)`, async () => {
      const code = `district_e2e${Date.now() % 100000}`
      await page.goto(`${baseUrl}/system/role`)
      await settle(page)
      await page.locator('[data-test=role-create]').click()
      const dialog = page.locator('.el-dialog:visible')
      await dialog.locator('input').nth(0).fill(code)
      await dialog.locator('input').nth(1).fill(`东西城片区${code.slice(-3)}`)
      await dialog.locator('.el-select').first().click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: '自定义' }).click()
      await dialog.locator('[data-test=role-places]').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: '东城街道' }).click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: '西城街道' }).click()
      await dialog.locator('.el-dialog__header').click()
      await shot(page, viewport, 'system-role-custom-dialog')
      await Promise.all([
        page.waitForResponse((response) => response.url().endsWith('/api/v1/roles') && response.request().method() === 'POST'),
        dialog.getByRole('button', { name: '保存' }).click(),
      ])
      await page.locator('.el-table__body tr', { hasText: code }).waitFor()
      const admin = await new Api(baseUrl).login('admin')
      const role = (await admin.get('/roles')).items.find((item) => item.code === code)
      expect(role && role.data_scope === 'custom', `role ${code} not stored as custom`)
      const places = role.places.map((place) => place.code).sort().join(',')
      expect(places === '511902001,511902002', `role places are ${places}`)
      await settle(page)
      await shot(page, viewport, 'system-role-custom')
    })

    await check(`${v}: admin adds a 业态 to the dictionary`, async () => {
      const label = `农村集体聚餐E2E${Date.now() % 1000}`
      await page.goto(`${baseUrl}/system/dict`)
      await settle(page)
      await page.getByRole('button', { name: '新增业态' }).click()
      const dialog = page.locator('.el-dialog:visible')
      await dialog.locator('input').fill(label)
      await dialog.getByRole('button', { name: '保存' }).click()
      await page.locator('.el-table__body', { hasText: label }).waitFor()
    })
  }

  await check(`${v}: no uncaught errors in the page`, async () => {
    expect(pageErrors.length === 0, pageErrors.join(' | '))
    expect(dialogs.length === 0, `unexpected dialogs: ${dialogs.join(' | ')}`)
  })

  await context.close()
}

async function main() {
  const bin = process.env.SHIAN_BIN
  if (!bin || !existsSync(bin)) {
    console.error('Set SHIAN_BIN to the shian binary, e.g. SHIAN_BIN=../build/debug/shian node e2e/run.mjs')
    process.exit(2)
  }
  if (!existsSync(join(distDir, 'index.html'))) {
    console.error('web/dist is missing: run `npm run build` first')
    process.exit(2)
  }
  if (!existsSync(chromiumPath)) {
    console.error(`${chromiumPath} is missing: apt-get install -y chromium`)
    process.exit(2)
  }
  mkdirSync(shotDir, { recursive: true })
  const tmp = mkdtempSync(join(tmpdir(), 'shian-e2e-'))
  const db = `sqlite:${join(tmp, 'shian.db')}`
  let server = null
  let browser = null
  try {
    const demo = spawnSync(bin, ['demo', '--db', db], { encoding: 'utf8', timeout: 300_000 })
    if (demo.status !== 0) throw new Error(`shian demo failed (${demo.status}): ${demo.stderr}`)
    server = await startServer(resolve(bin), db)
    console.log(`server at ${server.baseUrl}`)

    const office = await new Api(server.baseUrl).login('office')
    const westList = await office.get('/businesses?region=511902002&page_size=1')
    expect(westList.items.length > 0, 'the demo data has no business in 西城街道')
    const fixtures = {
      tmp,
      office,
      westBusiness: westList.items[0],
      template: await fetchTemplate(office),
      htmlName: '<img src=x onerror=alert(1)>',
    }

    browser = await chromium.launch({
      executablePath: chromiumPath,
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
    for (const viewport of VIEWPORTS) await runViewport(browser, server.baseUrl, viewport, fixtures)
  } catch (error) {
    results.failed += 1
    console.log(`not ok - setup: ${error instanceof Error ? error.message : String(error)}`)
  } finally {
    if (server && (server.child.exitCode !== null || server.child.signalCode !== null)) {
      results.failed += 1
      const tail = Buffer.concat(server.stderr).toString().split('\n').slice(-30).join('\n')
      console.log(`not ok - the server stayed up: it exited with ${server.child.exitCode ?? server.child.signalCode}\n${tail}`)
    }
    if (browser) await browser.close()
    if (server) await stopServer(server.child)
    rmSync(tmp, { recursive: true, force: true })
  }
  console.log(`screenshots in ${shotDir}`)
  console.log(`${results.passed} passed, ${results.failed} failed`)
  process.exit(results.failed > 0 ? 1 : 0)
}

await main()
