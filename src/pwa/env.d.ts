/** Build-time constants from vite.config.ts `define`. */

/** The build id (APP_BUILD_ID at build time) or the package version. */
declare const __APP_VERSION__: string;
