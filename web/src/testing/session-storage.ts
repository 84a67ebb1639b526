// For unit tests (Vitest runs in node, which has no sessionStorage): a Map behind the
// sessionStorage interface the app uses, installed as a global. Call in beforeEach; undo with
// vi.unstubAllGlobals() in afterEach. The returned Map is the storage, to seed or inspect.
import { vi } from 'vitest'

export function stubSessionStorage(): Map<string, string> {
  const storage = new Map<string, string>()
  vi.stubGlobal('sessionStorage', {
    getItem: (key: string) => storage.get(key) ?? null,
    setItem: (key: string, value: string) => storage.set(key, value),
    removeItem: (key: string) => storage.delete(key),
  })
  return storage
}
