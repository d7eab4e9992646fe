export { TesseraClient } from './client';
export { TesseraError, type ClientOptions } from './http';
export { loadModel, LocalModel } from './model';
export { BundleScorer, type LocalPrediction, type OrtModule } from './scorer';
export { verifyBundle, BundleVerificationError, MODEL_BUNDLE_FORMAT, type ModelBundle, type VerifiedBundle } from './bundle';
export { assembleFeatures, type OnlineFeaturesAnswer } from './assemble';
export * from './operations';
export * from './rest';
