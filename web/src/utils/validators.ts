// Identifier checks used as the user types. They mirror the server's rules
// (server/src/shian/core/identifiers.cpp) and its messages, so what the form says before
// saving is what the server would answer.

/** GB 32100-2015 Table 1: digits and capitals without I, O, Z, S, V; the index is the value. */
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
/** Weights 3^i mod 31 for positions 0..16. */
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

/** The check character for the first 17 characters of a USCC, or null if one is not allowed. */
export function usccCheckChar(first17: string): string | null {
  if (first17.length !== 17) return null
  let sum = 0
  for (let i = 0; i < 17; i++) {
    const value = USCC_ALPHABET.indexOf(first17.charAt(i))
    if (value < 0) return null
    sum += value * (USCC_WEIGHTS[i] ?? 0)
  }
  return USCC_ALPHABET.charAt((31 - (sum % 31)) % 31)
}

/** Returns a Chinese message describing what is wrong with a USCC, or null if it is valid. */
export function validateUscc(value: string): string | null {
  if (value.length !== 18) return '统一社会信用代码应为18位'
  for (let i = 0; i < value.length; i++) {
    if (!USCC_ALPHABET.includes(value.charAt(i))) {
      return `统一社会信用代码第${i + 1}位字符无效（只能是数字和除 I、O、Z、S、V 以外的大写字母）`
    }
  }
  // Characters 3–8 are the administrative division code of the registering authority.
  if (!/^\d{6}$/.test(value.slice(2, 8))) return '统一社会信用代码第3至8位应为行政区划代码（数字）'
  const expected = usccCheckChar(value.slice(0, 17))
  if (expected !== value.charAt(17)) return `统一社会信用代码校验位错误（第18位应为 ${expected}）`
  return null
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const ID_CHECK_CHARS = '10X98765432'
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/** The GB 11643 check character for the first 17 digits of an ID number, or null. */
export function idNumberCheckChar(first17: string): string | null {
  if (!/^\d{17}$/.test(first17)) return null
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17.charAt(i)) * (ID_WEIGHTS[i] ?? 0)
  return ID_CHECK_CHARS.charAt(sum % 11)
}

function isValidBirthDate(year: number, month: number, day: number): boolean {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1) return false
  if (day > (DAYS_IN_MONTH[month - 1] ?? 0)) return false
  return !(month === 2 && day === 29 && !leap)
}

/** Returns a Chinese message describing what is wrong with an 18-digit ID number, or null. */
export function validateIdNumber(value: string): string | null {
  if (value.length !== 18) return '身份证号应为18位'
  if (!/^\d{17}$/.test(value.slice(0, 17))) return '身份证号前17位应为数字'
  const year = Number(value.slice(6, 10))
  const month = Number(value.slice(10, 12))
  const day = Number(value.slice(12, 14))
  if (!isValidBirthDate(year, month, day)) return '身份证号中的出生日期无效'
  const check = value.charAt(17) === 'x' ? 'X' : value.charAt(17)
  const expected = idNumberCheckChar(value.slice(0, 17))
  if (check !== expected) return `身份证号校验位错误（第18位应为 ${expected}）`
  return null
}

/**
 * Kinds ("三小" and farmers' markets) that may carry a local 登记证/备案 number instead of a
 * JY/SC licence (server: KindAllowsRegistrationNumber in registry/business_rules.cpp).
 */
export const REGISTRATION_NUMBER_KINDS: ReadonlySet<string> = new Set([
  'small_workshop',
  'small_catering',
  'food_vendor',
  'farmers_market',
])

const LICENCE_MESSAGE = '许可证编号应为 JY 或 SC 加14位数字'

/**
 * 食品经营许可证 JY / 食品生产许可证 SC followed by 14 digits, or empty; a kind that allows it
 * may instead carry a 4–30 character registration number.
 */
export function validateLicenceNo(value: string, allowRegistration = false): string | null {
  if (value === '') return null
  const prefix = value.slice(0, 2)
  if (prefix === 'JY' || prefix === 'SC') return /^(JY|SC)\d{14}$/.test(value) ? null : LICENCE_MESSAGE
  if (!allowRegistration) return LICENCE_MESSAGE
  const chars = [...value]
  const ok =
    chars.length >= 4 &&
    chars.length <= 30 &&
    chars.every((char) => char.charCodeAt(0) >= 0x80 || /[A-Za-z0-9-]/.test(char))
  return ok ? null : '登记证/备案编号应为4至30位字母、数字、汉字或连字符'
}

/** Mobile (11 digits, 1[3-9]…) or a landline with its 0 area code and optional dashes. */
export function validatePhone(value: string): string | null {
  if (/^1[3-9]\d{9}$/.test(value)) return null
  if (/^0[\d-]*$/.test(value)) {
    const dashes = value.split('-').length - 1
    const digits = value.replace(/-/g, '').length
    if (dashes <= 2 && digits >= 10 && digits <= 16) return null
  }
  return '联系电话格式不正确（手机号11位，座机请带区号）'
}
