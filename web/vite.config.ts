// The studio's UI is built into dist/ and served by `stipple serve`; in
// development (`npx vite`) requests to the API go to a server on :8080.
import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: { "/api": "http://127.0.0.1:8080", "/healthz": "http://127.0.0.1:8080" },
  },
  build: { outDir: "dist", sourcemap: true, chunkSizeWarningLimit: 600 },
  test: {
    environment: "jsdom",
    globals: true,
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test-setup.ts"],
  },
});
