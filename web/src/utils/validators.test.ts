import { describe, expect, it } from 'vitest'
import {
  idNumberCheckChar,
  usccCheckChar,
  validateIdNumber,
  validateLicenceNo,
  validatePhone,
  validateUscc,
} from './validators'

describe('validateUscc (GB 32100-2015)', () => {
  // 91350100M000100Y43 is the worked example printed in many guides to the standard; the
  // others were computed with the weights 3^i mod 31 and check this implementation agrees.
  const valid = [
    '91350100M000100Y43',
    '91511902MA62XR8K1P',
    '12511902451234567M',
    '93511902MA6A0B1C2L',
    '91110108551385082Q',
  ]

  it.each(valid)('accepts %s', (code) => {
    expect(validateUscc(code)).toBeNull()
  })

  it('computes the check character, mapping 31 to 0', () => {
    expect(usccCheckChar('91350100M000100Y4')).toBe('3')
    expect(usccCheckChar('91511902MA62XR8K1')).toBe('P')
    // Σ ≡ 0 (mod 31) gives 31 - 0 = 31, which the standard writes as 0.
    expect(usccCheckChar('00000000000000000')).toBe('0')
  })

  it.each([
    ['91350100M000100Y44', '3'],
    ['91511902MA62XR8K1Q', 'P'],
    ['12511902451234567N', 'M'],
  ])('rejects %s with a wrong check character and names the right one', (code, expected) => {
    expect(validateUscc(code)).toBe(`统一社会信用代码校验位错误（第18位应为 ${expected}）`)
  })

  it('requires digits in positions 3–8', () => {
    expect(validateUscc('91A50100M000100Y43')).toContain('行政区划代码')
  })

  it('rejects a wrong length', () => {
    expect(validateUscc('91350100M000100Y4')).toContain('18位')
    expect(validateUscc('')).toContain('18位')
  })

  it.each(['I', 'O', 'Z', 'S', 'V', 'a'])('rejects the letter %s', (letter) => {
    expect(validateUscc(`91350100M000100${letter}43`)).toContain('第16位字符无效')
  })
})

describe('validateIdNumber (GB 11643-1999)', () => {
  // 11010519491231002X is the example in the standard; the rest are computed.
  const valid = ['11010519491231002X', '51190219850612123X', '511902199001010010', '440304197802150517']

  it.each(valid)('accepts %s', (id) => {
    expect(validateIdNumber(id)).toBeNull()
  })

  it('computes the check character', () => {
    expect(idNumberCheckChar('11010519491231002')).toBe('X')
    expect(idNumberCheckChar('51190220010309876')).toBe('8')
  })

  it.each([
    ['110105194912310021', 'X'],
    ['511902199001010011', '0'],
    ['44030419780215051X', '7'],
  ])('rejects %s with a wrong check character', (id, expected) => {
    expect(validateIdNumber(id)).toBe(`身份证号校验位错误（第18位应为 ${expected}）`)
  })

  it('accepts a lower-case x check character', () => {
    expect(validateIdNumber('11010519491231002x')).toBeNull()
  })

  it('rejects wrong formats and impossible birth dates', () => {
    expect(validateIdNumber('11010519491231002')).toBe('身份证号应为18位')
    expect(validateIdNumber('1101051949123100X2')).toBe('身份证号前17位应为数字')
    expect(validateIdNumber('110105190002290011')).toBe('身份证号中的出生日期无效')
    expect(validateIdNumber('110105194913310021')).toBe('身份证号中的出生日期无效')
  })
})

describe('validateLicenceNo', () => {
  it('accepts JY/SC plus 14 digits and empty', () => {
    expect(validateLicenceNo('JY15119020012345')).toBeNull()
    expect(validateLicenceNo('SC10651190200012')).toBeNull()
    expect(validateLicenceNo('')).toBeNull()
  })

  it('rejects other shapes', () => {
    expect(validateLicenceNo('JY1511902001234')).not.toBeNull()
    expect(validateLicenceNo('XK15119020012345')).not.toBeNull()
    expect(validateLicenceNo('jy15119020012345')).not.toBeNull()
  })

  it('allows a registration number only where the kind allows it', () => {
    expect(validateLicenceNo('巴州小餐饮-0012', true)).toBeNull()
    expect(validateLicenceNo('巴州小餐饮-0012', false)).toContain('JY 或 SC')
    expect(validateLicenceNo('JY123', true)).toContain('JY 或 SC')
    expect(validateLicenceNo('abc', true)).toContain('4至30位')
    expect(validateLicenceNo('备案 001', true)).toContain('4至30位')
  })
})

describe('validatePhone', () => {
  it.each(['13800138000', '0827-5262001', '08275262001', '0827-5262001-808'])('accepts %s', (phone) => {
    expect(validatePhone(phone)).toBeNull()
  })

  it.each(['12800138000', '1380013800', '827-5262001', '0827-52-62-001', '0827 5262001'])('rejects %s', (phone) => {
    expect(validatePhone(phone)).not.toBeNull()
  })
})
