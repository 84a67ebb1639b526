// Chinese names of record fields, for audit diffs and server field errors.
export const FIELD_LABELS: Record<string, string> = {
  name: '主体名称',
  uscc: '统一社会信用代码',
  licence_no: '许可证编号',
  kind: '业态',
  kind_label: '业态',
  region_code: '所属区划',
  region_name: '所属区划',
  address: '经营地址',
  lng: '经度',
  lat: '纬度',
  status: '经营状态',
  risk_grade: '风险等级',
  people: '相关人员',
  tags: '标签',
  version: '版本',
  username: '用户名',
  display_name: '姓名',
  role: '角色',
  department_id: '部门',
  business_id: '关联主体',
  parent_id: '上级部门',
  code: '代码',
  disabled: '停用',
  permissions: '权限',
  label: '名称',
  created_at: '创建时间',
  updated_at: '更新时间',
}

export function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? field
}
