// The policy (README "Policy"): the gates, their rules, the error.
export { Policy, policyOption, type PolicyOptions, type RuleListOptions } from './policy.js';
export { PolicyError, type PolicyGate } from '../errors.js';
