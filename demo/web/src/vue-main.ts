// The Vue 3 page, one component per card like the React page; render functions
// (defineComponent + h), since no SFC plugin is installed.
import { createAuthPlugin } from 'tokenkeeper/vue'
import { createApp } from 'vue'
import { auth } from './auth.ts'
import { App } from './vue/app.ts'

createApp(App).use(createAuthPlugin(auth)).mount('#app')
