// The one HTTP client of the console: fetch against same-origin /api/v1 with the Bearer
// token, turning every non-2xx answer into a typed ApiError built from the server's
// `{"error":{"code","message","field"}}` shape.
import { getToken } from '@/utils/token'

export const API_BASE = '/api/v1'

export type ErrorCode =
  | 'invalid_argument'
  | 'unauthenticated'
  | 'permission_denied'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'unsupported_media'
  | 'rejected'
  | 'locked'
  | 'unavailable'
  | 'internal'
  | 'network'
  | 'unknown'

const KNOWN_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'invalid_argument',
  'unauthenticated',
  'permission_denied',
  'not_found',
  'conflict',
  'too_large',
  'unsupported_media',
  'rejected',
  'locked',
  'unavailable',
  'internal',
])

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'invalid_argument',
  401: 'unauthenticated',
  403: 'permission_denied',
  404: 'not_found',
  409: 'conflict',
  413: 'too_large',
  415: 'unsupported_media',
  422: 'rejected',
  423: 'locked',
  500: 'internal',
  502: 'unavailable',
  503: 'unavailable',
  504: 'unavailable',
}

const DEFAULT_MESSAGES: Record<ErrorCode, string> = {
  invalid_argument: '请求参数有误',
  unauthenticated: '登录已失效，请重新登录',
  permission_denied: '没有权限执行此操作',
  not_found: '记录不存在或无权访问',
  conflict: '数据已被他人修改，请重新加载',
  too_large: '文件或请求过大',
  unsupported_media: '不支持的文件类型',
  rejected: '数据未通过校验',
  locked: '账号已锁定，请稍后再试',
  unavailable: '服务暂不可用，请稍后再试',
  internal: '服务器内部错误',
  network: '网络异常，无法连接服务器',
  unknown: '请求失败',
}

export class ApiError extends Error {
  override readonly name = 'ApiError'
  /** HTTP status; 0 when the request never got an answer. */
  readonly status: number
  readonly code: ErrorCode
  /** The offending input field named by the server, or ''. */
  readonly field: string
  /** The parsed response body (for endpoints that send details next to the error). */
  readonly body: unknown

  constructor(status: number, code: ErrorCode, message: string, field = '', body: unknown = null) {
    super(message)
    this.status = status
    this.code = code
    this.field = field
    this.body = body
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Builds an ApiError from a status and the raw response text (which may not be JSON). */
export function toApiError(status: number, text: string): ApiError {
  let body: unknown = null
  if (text) {
    try {
      body = JSON.parse(text) as unknown
    } catch {
      body = text
    }
  }
  const fallbackCode: ErrorCode = CODE_BY_STATUS[status] ?? (status >= 500 ? 'internal' : 'unknown')
  const error = isRecord(body) && isRecord(body.error) ? body.error : null
  if (!error) {
    return new ApiError(status, fallbackCode, DEFAULT_MESSAGES[fallbackCode], '', body)
  }
  const code =
    typeof error.code === 'string' && KNOWN_CODES.has(error.code)
      ? (error.code as ErrorCode)
      : fallbackCode
  const message =
    typeof error.message === 'string' && error.message.trim() !== ''
      ? error.message
      : DEFAULT_MESSAGES[code]
  const field = typeof error.field === 'string' ? error.field : ''
  return new ApiError(status, code, message, field, body)
}

export type QueryValue = string | number | boolean | null | undefined
export type Query = Record<string, QueryValue>

/** `/api/v1` + path + the non-empty query parameters. */
export function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams()
  if (query) {
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined || value === null || value === '') continue
      params.append(key, String(value))
    }
  }
  const qs = params.toString()
  return `${API_BASE}${path}${qs ? `?${qs}` : ''}`
}

type UnauthorizedHandler = () => void
let unauthorizedHandler: UnauthorizedHandler | null = null

/** Registers what happens on a 401 from any call (the router sends the user to 登录). */
export function onUnauthorized(handler: UnauthorizedHandler | null): void {
  unauthorizedHandler = handler
}

export interface RequestOptions {
  query?: Query
  /** A JSON body. */
  json?: unknown
  /** A multipart body (file upload). */
  form?: FormData
  signal?: AbortSignal
  /** Do not treat a 401 as an expired session (the login call itself). */
  skipUnauthorizedHandler?: boolean
}

async function send(method: string, path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  const token = getToken()
  if (token) headers.Authorization = `Bearer ${token}`
  let body: BodyInit | undefined
  if (options.form) {
    body = options.form
  } else if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(options.json)
  }
  let response: Response
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body,
      signal: options.signal,
      credentials: 'same-origin',
    })
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause
    throw new ApiError(0, 'network', DEFAULT_MESSAGES.network)
  }
  if (!response.ok) {
    const error = toApiError(response.status, await response.text().catch(() => ''))
    if (response.status === 401 && !options.skipUnauthorizedHandler) unauthorizedHandler?.()
    throw error
  }
  return response
}

/** Sends a request and returns the parsed JSON body (undefined for 204 or an empty body). */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(method, path, options)
  const text = response.status === 204 ? '' : await response.text()
  if (!text) return undefined as T
  try {
    return JSON.parse(text) as T
  } catch {
    throw new ApiError(response.status, 'internal', '服务器返回了无法解析的数据', '', text)
  }
}

export const http = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) =>
    request<T>('GET', path, { query, signal }),
  post: <T>(path: string, json?: unknown, query?: Query) => request<T>('POST', path, { json, query }),
  patch: <T>(path: string, json: unknown) => request<T>('PATCH', path, { json }),
  put: <T>(path: string, json: unknown) => request<T>('PUT', path, { json }),
  delete: <T>(path: string) => request<T>('DELETE', path),
  upload: <T>(path: string, form: FormData, query?: Query) => request<T>('POST', path, { form, query }),
}

/** The file name from a Content-Disposition header (RFC 6266 / 5987 filename* first). */
export function fileNameFromDisposition(header: string | null, fallback: string): string {
  if (!header) return fallback
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header)
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim().replace(/^"|"$/g, ''))
    } catch {
      return fallback
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(header)
  return plain?.[1]?.trim() || fallback
}

/** Fetches a file with the Bearer header and hands it to the browser as a download. */
export async function download(path: string, query: Query, fallbackName: string): Promise<string> {
  const response = await send('GET', path, { query })
  const blob = await response.blob()
  const name = fileNameFromDisposition(response.headers.get('Content-Disposition'), fallbackName)
  const url = URL.createObjectURL(blob)
  const anchor = document.createElement('a')
  anchor.href = url
  anchor.download = name
  anchor.style.display = 'none'
  document.body.appendChild(anchor)
  anchor.click()
  anchor.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
  return name
}
