import { ref } from 'vue'
import { listKinds, type BusinessKind } from '@/api/dicts'

const kinds = ref<BusinessKind[]>([])
let loading: Promise<void> | null = null

/** The 业态 dictionary, loaded once per session and shared by the pages. */
export function useKinds(): { kinds: typeof kinds; refresh: () => Promise<void> } {
  function refresh(): Promise<void> {
    loading = listKinds()
      .then((items) => {
        kinds.value = items
      })
      .catch(() => {
        loading = null
      })
    return loading
  }
  if (!loading) void refresh()
  return { kinds, refresh }
}
