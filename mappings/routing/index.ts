/** Rep rotation: the routing policy from the contract and the choice of the next rep. Other folders import from here only. */
export { isPriorityLead, type RotationPolicy, rotationPolicyOf, type RoutingInputs, routingInputsOf } from './rotation-policy';
export { rotationStateSchema } from './rotation-schema';
export { CATCH_ALL_TERRITORY, chooseRep, initialRotation, type RotationState } from './routing';
