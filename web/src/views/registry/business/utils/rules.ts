// Form rules for 新增/编辑主体. They follow the server's ValidateBusiness
// (server/src/shian/registry/business_rules.cpp), so errors show while typing.
import type { FormItemRule } from 'element-plus'
import {
  REGISTRATION_NUMBER_KINDS,
  validateIdNumber,
  validateLicenceNo,
  validatePhone,
  validateUscc,
} from '@/utils/validators'

type Check = (value: string) => string | null

/**
 * Every rule runs on both events: Element Plus validates only the rules of the triggering
 * event and sets the field's state from them, so a blur-only rule passing would hide a
 * change-rule error shown while typing.
 */
const BOTH: FormItemRule['trigger'] = ['change', 'blur']

/** An Element Plus validator around a message-returning check; empty values pass. */
export function checkRule(check: Check): FormItemRule {
  return {
    trigger: BOTH,
    validator: (_rule, value: unknown, callback) => {
      const text = typeof value === 'string' ? value : ''
      const message = text === '' ? null : check(text)
      if (message) callback(new Error(message))
      else callback()
    },
  }
}

/** What the business rules need to know about the rest of the form. */
export interface BusinessFormView {
  kind: string
  uscc: string
  licence_no: string
  lng: number | null
  lat: number | null
  tags: string[]
}

export const MAX_TAGS = 20
export const MAX_TAG_CHARS = 20

export function tagsError(tags: string[]): string | null {
  if (tags.length > MAX_TAGS) return `标签不能超过${MAX_TAGS}个`
  const seen = new Set<string>()
  for (const tag of tags) {
    if ([...tag].length > MAX_TAG_CHARS) return `标签不超过${MAX_TAG_CHARS}个字`
    if (tag.includes('|')) return '标签不能包含 | 字符'
    if (seen.has(tag)) return `标签重复：${tag}`
    seen.add(tag)
  }
  return null
}

/** Rules for the business form; some depend on other fields (kind, the other coordinate). */
export function businessRules(form: BusinessFormView): Record<string, FormItemRule[]> {
  const allowsRegistration = () => REGISTRATION_NUMBER_KINDS.has(form.kind)
  return {
    name: [
      { required: true, message: '请输入主体名称', trigger: BOTH },
      { max: 100, message: '主体名称不超过100个字', trigger: BOTH },
    ],
    uscc: [
      checkRule(validateUscc),
      {
        trigger: BOTH,
        validator: (_rule, _value, callback) => {
          if (!form.uscc && !form.licence_no && !allowsRegistration()) {
            callback(new Error('统一社会信用代码和许可证编号不能都为空'))
          } else callback()
        },
      },
    ],
    licence_no: [checkRule((value) => validateLicenceNo(value, allowsRegistration()))],
    kind: [{ required: true, message: '请选择业态', trigger: BOTH }],
    region_code: [{ required: true, message: '请选择所属区划', trigger: BOTH }],
    address: [{ max: 200, message: '经营地址不超过200个字', trigger: BOTH }],
    lng: [
      {
        trigger: BOTH,
        validator: (_rule, _value, callback) => {
          if (form.lng === null && form.lat !== null) callback(new Error('经度和纬度须同时填写'))
          else if (form.lng !== null && (form.lng < 73 || form.lng > 136)) {
            callback(new Error('经度应在73至136之间（中国境内）'))
          } else callback()
        },
      },
    ],
    lat: [
      {
        trigger: BOTH,
        validator: (_rule, _value, callback) => {
          if (form.lat === null && form.lng !== null) callback(new Error('经度和纬度须同时填写'))
          else if (form.lat !== null && (form.lat < 3 || form.lat > 54)) {
            callback(new Error('纬度应在3至54之间（中国境内）'))
          } else callback()
        },
      },
    ],
    tags: [
      {
        trigger: BOTH,
        validator: (_rule, _value, callback) => {
          const message = tagsError(form.tags)
          if (message) callback(new Error(message))
          else callback()
        },
      },
    ],
    status: [{ required: true, message: '请选择经营状态', trigger: BOTH }],
  }
}

export const personRules: Record<string, FormItemRule[]> = {
  role: [{ required: true, message: '请选择角色', trigger: BOTH }],
  name: [
    { required: true, message: '请输入姓名', trigger: BOTH },
    { max: 30, message: '姓名不超过30个字', trigger: BOTH },
  ],
  id_number: [checkRule(validateIdNumber)],
  phone: [checkRule(validatePhone)],
}

/** `people[0].id_number` (server) → `people.0.id_number` (form item prop). */
export function fieldToProp(field: string): string {
  return field.replace(/\[(\d+)\]/g, '.$1')
}
