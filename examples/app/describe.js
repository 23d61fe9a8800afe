export function describe(url) {
  return `running ${url.split('/').slice(-2).join('/')} through canon's registry`;
}
