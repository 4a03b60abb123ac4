import { createApp } from 'vue'
import { createRouter, createWebHistory } from 'vue-router'
import { createAuthGuard, createAuthPlugin } from 'tokenkeeper/vue'
import App from './app.vue'
import { auth } from './auth.ts'
import HomePage from './pages/home-page.vue'
import LoginPage from './pages/login-page.vue'
import ProfilePage from './pages/profile-page.vue'

declare module 'vue-router' {
  interface RouteMeta {
    /** Guarded by createAuthGuard: only with a session. */
    requiresAuth?: boolean
  }
}

const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', component: HomePage },
    { path: '/login', component: LoginPage },
    { path: '/profile', component: ProfilePage, meta: { requiresAuth: true } },
  ],
})
// Waits for the first restore, sends users without a session to /login, and leaves a
// protected page by itself when the session ends there (a logout in another tab).
router.beforeEach(createAuthGuard({ redirectTo: '/login' }))

// The plugin before the router: the router's first navigation runs the guard, which needs the client.
createApp(App).use(createAuthPlugin(auth)).use(router).mount('#app')
