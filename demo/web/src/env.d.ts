/** `true` when demo/start.ts runs the auth server in test mode (see demo/web/vite.config.ts). */
declare const __DEMO_TEST_MODE__: boolean
