// Display helpers shared by the pages.
import type { BusinessStatus, RiskGrade } from '@/api/businesses'

type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger'

function pad(value: number): string {
  return String(value).padStart(2, '0')
}

/** An ISO 8601 time shown in the browser's time zone as `YYYY-MM-DD HH:mm`. */
export function formatTime(value: string | null | undefined): string {
  if (!value) return '—'
  const date = new Date(value)
  if (Number.isNaN(date.getTime())) return value
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`
}

export const RISK_GRADE_LABELS: Record<RiskGrade, string> = {
  A: 'A级（低风险）',
  B: 'B级（较低风险）',
  C: 'C级（较高风险）',
  D: 'D级（高风险）',
}

export function riskGradeLabel(grade: RiskGrade | null | undefined): string {
  return grade ? RISK_GRADE_LABELS[grade] : '未评级'
}

export function riskGradeTag(grade: RiskGrade | null | undefined): TagType {
  switch (grade) {
    case 'A':
      return 'success'
    case 'B':
      return 'primary'
    case 'C':
      return 'warning'
    case 'D':
      return 'danger'
    default:
      return 'info'
  }
}

export function statusTag(status: BusinessStatus): TagType {
  switch (status) {
    case '营业':
      return 'success'
    case '停业':
      return 'warning'
    default:
      return 'info'
  }
}

/** Masks the middle of an ID number for lists (the full number stays on the detail page). */
export function maskIdNumber(value: string): string {
  return value.length === 18 ? `${value.slice(0, 6)}********${value.slice(14)}` : value
}
