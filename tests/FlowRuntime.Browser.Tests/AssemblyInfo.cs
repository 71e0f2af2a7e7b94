// One headless Chromium at a time: the machines running these tests have few cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
