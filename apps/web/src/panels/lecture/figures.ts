/**
 * The lecture's own figures (CS231n, "Optimization: stochastic gradient descent", on CIFAR-10:
 * 50,000 training images of 3073 numbers with the bias, 10 classes), shown beside what the page
 * measures on the loaded data.
 */

/** Test accuracy of the best of 1000 random W (the notes: "about 15.5%"). */
export const RANDOM_SEARCH_ACCURACY = 0.155;
/** Test accuracy after 1000 steps of random local search, step 0.0001 (the notes: "21.4%"). */
export const LOCAL_SEARCH_ACCURACY = 0.214;
/** Chance on 10 classes. */
export const CHANCE = 0.1;
/** W's entries for CIFAR-10, 10 × 3073: one numerical gradient costs as many loss evaluations, plus one. */
export const CIFAR_PARAMETERS = 30730;

/** The notes' step-size table: the loss after one gradient step of each size, from an original loss of 2.200718. */
export const STEP_SIZE_TABLE = {
  originalLoss: 2.200718,
  rows: [
    { size: 1e-10, loss: 2.200652 },
    { size: 1e-9, loss: 2.200057 },
    { size: 1e-8, loss: 2.194116 },
    { size: 1e-7, loss: 2.135493 },
    { size: 1e-6, loss: 1.647802 },
    { size: 1e-5, loss: 2.844355 },
    { size: 1e-4, loss: 25.558142 },
    { size: 1e-3, loss: 254.086573 },
    { size: 1e-2, loss: 2539.370888 },
    { size: 1e-1, loss: 25392.214036 },
  ],
} as const;

/** The minibatch the notes call typical, and the training set it is drawn from (ILSVRC). */
export const TYPICAL_BATCH = 256;
export const ILSVRC_TRAINING_IMAGES = 1.2e6;
