import * as _ from "./node_modules/lodash-es/lodash.js"; console.log(Object.keys(_).length)
