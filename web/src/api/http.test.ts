import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError, buildUrl, fileNameFromDisposition, http, onUnauthorized, request, toApiError } from './http'
import { stubSessionStorage } from '@/testing/session-storage'

function jsonResponse(status: number, body: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  })
}

let storage = new Map<string, string>()

beforeEach(() => {
  storage = stubSessionStorage()
})

afterEach(() => {
  vi.unstubAllGlobals()
  onUnauthorized(null)
})

describe('toApiError', () => {
  it('reads code, message and field from the error shape', () => {
    const error = toApiError(
      400,
      JSON.stringify({ error: { code: 'invalid_argument', message: '统一社会信用代码校验位错误', field: 'uscc' } }),
    )
    expect(error).toBeInstanceOf(ApiError)
    expect(error.status).toBe(400)
    expect(error.code).toBe('invalid_argument')
    expect(error.message).toBe('统一社会信用代码校验位错误')
    expect(error.field).toBe('uscc')
  })

  it('falls back to the status when the body is not the error shape', () => {
    const error = toApiError(502, '<html>Bad Gateway</html>')
    expect(error.code).toBe('unavailable')
    expect(error.message).toBe('服务暂不可用，请稍后再试')
    expect(error.field).toBe('')
    expect(error.body).toBe('<html>Bad Gateway</html>')
  })

  it('keeps an unknown code out of the typed union', () => {
    const error = toApiError(409, JSON.stringify({ error: { code: 'something_new', message: '' } }))
    expect(error.code).toBe('conflict')
    expect(error.message).toBe('数据已被他人修改，请重新加载')
  })

  it('handles an empty body', () => {
    const error = toApiError(404, '')
    expect(error.code).toBe('not_found')
    expect(error.body).toBeNull()
  })
})

describe('request', () => {
  it('sends the Bearer token and JSON body to /api/v1', async () => {
    storage.set('shian.token', 'tok-1')
    const fetchMock = vi.fn().mockResolvedValue(jsonResponse(200, { id: 7 }))
    vi.stubGlobal('fetch', fetchMock)
    const result = await http.post<{ id: number }>('/businesses', { name: '老火锅' })
    expect(result).toEqual({ id: 7 })
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit]
    expect(url).toBe('/api/v1/businesses')
    expect(init.method).toBe('POST')
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer tok-1')
    expect(init.body).toBe(JSON.stringify({ name: '老火锅' }))
  })

  it('omits the Authorization header without a token', async () => {
    const fetchMock = vi.fn().mockResolvedValue(jsonResponse(200, { ok: true }))
    vi.stubGlobal('fetch', fetchMock)
    await http.get('/healthz')
    const [, init] = fetchMock.mock.calls[0] as [string, RequestInit]
    expect((init.headers as Record<string, string>).Authorization).toBeUndefined()
  })

  it('returns undefined for 204', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(new Response(null, { status: 204 })))
    await expect(http.post('/auth/logout')).resolves.toBeUndefined()
  })

  it('throws a typed ApiError carrying the server field', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn().mockResolvedValue(jsonResponse(422, { error: { code: 'invalid_argument', message: '身份证号校验位错误', field: 'people[0].id_number' } })),
    )
    const error = await http.post('/businesses', {}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).status).toBe(422)
    expect((error as ApiError).field).toBe('people[0].id_number')
  })

  it('calls the unauthorized handler on 401 except when asked not to', async () => {
    const handler = vi.fn()
    onUnauthorized(handler)
    vi.stubGlobal(
      'fetch',
      vi.fn().mockImplementation(() =>
        Promise.resolve(jsonResponse(401, { error: { code: 'unauthenticated', message: '用户名或密码错误' } })),
      ),
    )
    await expect(http.get('/auth/me')).rejects.toMatchObject({ code: 'unauthenticated' })
    expect(handler).toHaveBeenCalledTimes(1)
    await expect(
      request('POST', '/auth/login', { json: {}, skipUnauthorizedHandler: true }),
    ).rejects.toMatchObject({ message: '用户名或密码错误' })
    expect(handler).toHaveBeenCalledTimes(1)
  })

  it('reports a locked account with the server message', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn().mockResolvedValue(jsonResponse(423, { error: { code: 'locked', message: '账号已锁定，请15分钟后再试' } })),
    )
    await expect(http.post('/auth/login', {})).rejects.toMatchObject({
      status: 423,
      code: 'locked',
      message: '账号已锁定，请15分钟后再试',
    })
  })

  it('turns a network failure into a network ApiError', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')))
    await expect(http.get('/businesses')).rejects.toMatchObject({ status: 0, code: 'network' })
  })

  it('rejects a 2xx body that is not JSON', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(new Response('<html>', { status: 200 })))
    await expect(http.get('/businesses')).rejects.toMatchObject({ code: 'internal' })
  })
})

describe('buildUrl', () => {
  it('drops empty parameters and encodes Chinese', () => {
    expect(buildUrl('/businesses', { q: '火锅', region: '', kind: undefined, page: 2, tag: null })).toBe(
      '/api/v1/businesses?q=%E7%81%AB%E9%94%85&page=2',
    )
  })
})

describe('fileNameFromDisposition', () => {
  it('prefers the RFC 5987 name', () => {
    expect(
      fileNameFromDisposition(`attachment; filename="export.xlsx"; filename*=UTF-8''%E4%B8%BB%E4%BD%93.xlsx`, 'x'),
    ).toBe('主体.xlsx')
  })

  it('falls back to the plain name, then to the default', () => {
    expect(fileNameFromDisposition('attachment; filename="export.csv"', 'x')).toBe('export.csv')
    expect(fileNameFromDisposition(null, '默认.csv')).toBe('默认.csv')
  })
})
