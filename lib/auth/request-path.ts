/** Request header, set by proxy.ts, carrying the path a page was asked for. */
export const REQUEST_PATH_HEADER = "x-clearlog-path";
