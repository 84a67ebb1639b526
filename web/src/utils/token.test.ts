import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { CurrentUser } from '@/api/auth'
import { clearToken, getSavedUser, getToken, saveUser, setToken } from './token'
import { stubSessionStorage } from '@/testing/session-storage'

let storage = new Map<string, string>()

beforeEach(() => {
  storage = stubSessionStorage()
})

afterEach(() => {
  vi.unstubAllGlobals()
})

const user: CurrentUser = {
  id: 7,
  username: 'office',
  display_name: '食安办',
  role: 'office',
  role_label: '食安办',
  region_code: '511902',
  region_name: '巴州区',
  business_id: null,
  permissions: ['business:list', 'business:view'],
}

describe('the saved user', () => {
  it('belongs to the token it was saved with', () => {
    setToken('t1')
    saveUser('t1', user)
    expect(getSavedUser('t1')).toEqual(user)
    expect(getSavedUser('t2')).toBeNull()
  })

  it('goes with the token', () => {
    setToken('t1')
    saveUser('t1', user)
    clearToken()
    expect(getToken()).toBeNull()
    expect(getSavedUser('t1')).toBeNull()
  })

  it('is not taken when unreadable or malformed', () => {
    storage.set('shian.user', '{not json')
    expect(getSavedUser('t1')).toBeNull()
    storage.set('shian.user', JSON.stringify({ token: 't1', user: { id: 'x', permissions: 'all' } }))
    expect(getSavedUser('t1')).toBeNull()
  })
})
