import { defineStore } from 'pinia'
import { ref } from 'vue'

/** Width below which the console switches to its phone layout. */
export const MOBILE_QUERY = '(max-width: 768px)'

export const useAppStore = defineStore('app', () => {
  const media = window.matchMedia(MOBILE_QUERY)
  const isMobile = ref(media.matches)
  const sidebarCollapsed = ref(localStorage.getItem('shian.sidebarCollapsed') === '1')
  const drawerOpen = ref(false)

  media.addEventListener('change', (event) => {
    isMobile.value = event.matches
    if (!event.matches) drawerOpen.value = false
  })

  function toggleSidebar(): void {
    if (isMobile.value) {
      drawerOpen.value = !drawerOpen.value
      return
    }
    sidebarCollapsed.value = !sidebarCollapsed.value
    localStorage.setItem('shian.sidebarCollapsed', sidebarCollapsed.value ? '1' : '0')
  }

  return { isMobile, sidebarCollapsed, drawerOpen, toggleSidebar }
})
