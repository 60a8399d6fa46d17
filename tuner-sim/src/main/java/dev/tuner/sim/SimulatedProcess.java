package dev.tuner.sim;

import dev.tuner.engine.Actuator;
import dev.tuner.engine.Knob;
import dev.tuner.engine.LockSite;
import dev.tuner.engine.ProcessSnapshot;
import dev.tuner.engine.StageSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A JVM running pipelines on a machine of {@code C} cores, simulated deterministically, fast enough to
 * run thousands of pipelines of a minute each in seconds. It hands out the {@link ProcessSnapshot}s the
 * agent would take and implements {@link Actuator}, so the same {@code Controller} drives it.
 *
 * <h2>The model: an aggregate (fluid) model advanced in fixed steps</h2>
 * Time advances in steps of {@link MachineSpec#step()} (5 ms). Items are not simulated one by one;
 * per stage the state is a handful of numbers: live workers, items taken so far (fractional), items in
 * its output buffer and items its workers hold but could not put there yet ({@code pending}).
 * <ol>
 *   <li><b>Per-item time.</b> An item costs {@code c} CPU, {@code w} own off-CPU wait, and for a stage
 *   with external CPU {@code e} burnt by a pool of {@code m} threads, {@code x = e / m} of waiting for the
 *   pool. All three carry the stage's noise factor {@code z} (lognormal, mean 1). With the process
 *   getting a speed {@code phi} per runnable thread (below), the time per item without lock queueing is
 *   {@code c/phi + w + x/phi}.</li>
 *   <li><b>Capacity.</b> {@code N} = live workers, for the part of the step they are not blocked on
 *   output. Without a lock or a pool a stage carries {@code N / (c/phi + w + x/phi)} items a second. Two
 *   things are shared by all its workers: the stage's one lock, held for {@code s x c / phi} per item
 *   ({@code s} the serial fraction), and the external pool, which works for {@code x / phi} per item on
 *   one item's behalf (its {@code m} threads split the item's {@code e}). The slower of the two is a
 *   single server {@code b} and the rest of the item a delay station {@code Z}: the machine-repairman
 *   queue, so the stage carries {@code (1 - ErlangB(N, Z/b)) / b}, never more than {@code 1/b}.
 *   Queueing makes up the difference: for the lock it is lock time (off CPU, BLOCKED), for the pool
 *   off-CPU time (WAITING on a future). Below capacity the queueing shrinks as the square of the
 *   load.</li>
 *   <li><b>Flow.</b> Per step and pipeline, a forward pass: each stage takes
 *   {@code min(capacity x step, items available)}, available being what the source offers (stage 0) or
 *   the buffer before it, including what its producer emits this same step. A stage emits
 *   {@code fanOut} items per item taken, released when a whole item completes, so a slow stage with a
 *   large fan-out emits in lumps (a 30 ms read of a block of 500 records puts 500 records at once). The
 *   lumps a stage releases in a step are taken to arrive evenly spread over it, and its consumer can
 *   take a lump's items only in the part of the step after it arrived. Then a backward pass: a stage
 *   emits at most the room in its buffer, plus what its consumer takes in the step, plus one lump held
 *   by each of its workers; the worker time it could not use is output wait. What does not fit in the
 *   buffer is {@code pending}, held by {@code ceil(pending / lump)} workers; it enters the buffer as the
 *   consumer takes from it, and those workers stay blocked (output wait) until it has, at the
 *   consumer's capacity (plus, for a lump released in the step before, the part of that step after its
 *   release; a wait longer than a step goes on into the next). A shrunk buffer keeps what it holds;
 *   producers wait until it drains below the new capacity.</li>
 *   <li><b>CPU.</b> The runnable threads are, per stage, the workers in their CPU phase plus the
 *   external pool's threads at work ({@code throughput x (c + e) / phi}), plus the baseline and the JIT
 *   burst. With {@code R} runnable on {@code C} cores each gets {@code g = min(1, C/R)} of a core
 *   (processor sharing) at an efficiency {@code 1 / (1 + loss x max(0, R/C - 1))}, so
 *   {@code phi = g x efficiency}. {@code phi} and the flows depend on each other; each step solves the
 *   fixed point by damped iteration from the last step's value. CPU time charged is
 *   {@code runnable x g}: process CPU never exceeds {@code C}.</li>
 *   <li><b>Noise.</b> A stage's {@code z} holds for the items a real stage would average over about two
 *   steps or one item time ({@code K = max(1, N x max(2 step, S0) / S0)} items) and is drawn with CV
 *   {@code noiseCv / sqrt(K)}, so the variance of the work done over any longer span is that of
 *   independent items: fast stages are smooth, a single worker on 30 ms items is as noisy as its items.
 *   A draw ends exactly at its K-th item, within a step if need be (the step then runs at the blend of
 *   the two draws): a draw measured in items, not in time, keeps both throughput and time per item
 *   unbiased.</li>
 *   <li><b>Measurements</b> are what the agent reads: cumulative items, busy time (processing including
 *   waits for a core and for the lock, excluding waits for input or room), input wait (workers neither
 *   blocked nor processing), output wait (blocked, or held back by a full buffer), CPU per stage and for
 *   the process; off-CPU and lock time sampled every {@link MachineSpec#tick()} like the agent's thread
 *   sampler (a binomial draw of how many of the stage's workers are off the CPU by their own doing, each
 *   counting a tick); buffer occupancy sampled at the same ticks (full: at or over capacity, empty: no
 *   whole item); the thread-state histogram; live heap = base + bytes per item x items held in
 *   buffers.</li>
 * </ol>
 *
 * <h2>Approximations</h2>
 * An item's latency is not modelled: per-item time sets rates, so steady-state throughput, busy time and
 * Little's law are right, but an item may cross several stages in one step. Within a step flows are
 * smooth: a buffer only absorbs the step-to-step variation of its producer and consumer and the lumps
 * of a large fan-out, so a small buffer between two fast stages costs less than it may in a real JVM.
 * Busy time accrues while an item is processed rather than when it completes. Workers are counts, not
 * threads; a shrink lets workers idle at the time leave at once and the others after half an item time
 * (the mean residual). The lock and the pool are exponential-service single servers, and a stage with
 * both queues only for the slower. Items and buffer levels are fractional: a reported count is the
 * floor. Off-CPU and lock time are sampled from the last step's mean state, not from individual
 * threads. Everything is deterministic for a seed.
 */
public final class SimulatedProcess implements Actuator {
    private static final double EPS = 1e-9;
    private static final double SOURCE_SLACK_SECONDS = 0.05;

    private final MachineSpec machine;
    private final List<PipelineSpec> specs;
    private final SplittableRandom rng;
    private final Pipe[] pipes;
    private final Node[] nodes;
    private final Map<String, Node> byId = new HashMap<>();
    private final double dt;
    private final int stepsPerTick;

    private long steps;
    private double now;
    private double phi = 1;
    private double lastRunnable;
    private double lastShare = 1;
    private double processCpu;
    private double overheadCpu;

    // JVM noise (see JvmNoise): its own random stream, so that without it the run is what it always was
    private final SplittableRandom envRng;
    private final JvmNoise noise;
    private final double burstDecay;
    private double burstY;
    private double burstCores;
    private double lastPipelineCores;
    // the machine: this process and its neighbour, for the machine load a snapshot reports
    private double machineCpu;
    private double snapshotAt = -1;
    private double snapshotMachineCpu;

    public SimulatedProcess(MachineSpec machine, PipelineSpec pipeline, long seed) {
        this(machine, List.of(pipeline), seed);
    }

    public SimulatedProcess(MachineSpec machine, List<PipelineSpec> pipelines, long seed) {
        this.machine = Objects.requireNonNull(machine, "machine");
        this.specs = List.copyOf(pipelines);
        this.rng = new SplittableRandom(seed);
        this.envRng = new SplittableRandom(seed ^ 0x5DEECE66DL);
        this.noise = machine.noise();
        // Per-step decay of an Ornstein-Uhlenbeck process whose correlation over one second is burstCorrelation.
        this.burstDecay = Math.pow(noise.burstCorrelation(), machine.step());
        this.burstY = noise.burstSd() > 0 ? envRng.nextGaussian() : 0;
        this.dt = machine.step();
        this.stepsPerTick = Math.max(1, (int) Math.round(machine.tick() / dt));
        List<Node> all = new ArrayList<>();
        pipes = new Pipe[specs.size()];
        for (int p = 0; p < specs.size(); p++) {
            PipelineSpec spec = specs.get(p);
            for (PipelineSpec other : specs.subList(0, p)) {
                if (other.name().equals(spec.name())) {
                    throw new IllegalArgumentException("two pipelines named " + spec.name());
                }
            }
            Node[] stages = new Node[spec.stages().size()];
            for (int i = 0; i < stages.length; i++) {
                stages[i] = new Node(spec, spec.stages().get(i), i, spec.itemsPerSourceItem(i));
                all.add(stages[i]);
                byId.put(stages[i].id, stages[i]);
            }
            pipes[p] = new Pipe(spec, stages);
            for (int i = 0; i < stages.length; i++) {
                stages[i].pipe = pipes[p];
                stages[i].consumer = i + 1 < stages.length ? stages[i + 1] : null;
            }
        }
        nodes = all.toArray(new Node[0]);
    }

    // ------------------------------------------------------------------ time

    public double now() {
        return now;
    }

    public MachineSpec machine() {
        return machine;
    }

    public List<PipelineSpec> pipelines() {
        return specs;
    }

    /** Runs the machine for {@code seconds}. */
    public void advance(double seconds) {
        advanceTo(now + seconds);
    }

    /** Runs the machine until {@code time} (to the step at or just past it). */
    public void advanceTo(double time) {
        while (now < time - 1e-9) {
            step();
        }
    }

    private void step() {
        applyEvents();
        burst();
        for (Node n : nodes) {
            n.prepare();
        }
        double ph = phi;
        double runnable = 0;
        for (int it = 0; it < 8; it++) {
            runnable = flows(ph);
            double next = speed(runnable);
            if (Math.abs(next - ph) < 1e-4 || it == 7) {
                break;
            }
            ph += 0.7 * (next - ph);
        }
        commit(ph, runnable);
        phi = ph;
        steps++;
        now = steps * dt;
        if (steps % stepsPerTick == 0) {
            sample(stepsPerTick * dt);
        }
    }

    /** This step's CPU burst (GC, JIT, the scheduler): a share of what the pipelines burnt in the last step. */
    private void burst() {
        if (noise.burstSd() > 0) {
            burstY = burstDecay * burstY + Math.sqrt(1 - burstDecay * burstDecay) * envRng.nextGaussian();
        }
        double share = Math.max(0, noise.burstMean() + noise.burstSd() * burstY);
        burstCores = share * lastPipelineCores;
    }

    /** Extra share of per-item CPU while code warms up: from the start, and after a stage is resized. */
    private double warm(double resizedAt) {
        double tau = noise.warmupSeconds();
        double extra = noise.startExtra() * Math.exp(-now / tau);
        if (resizedAt >= 0) {
            extra += noise.changeExtra() * Math.exp(-(now - resizedAt) / tau);
        }
        return 1 + extra;
    }

    /** Useful speed of a runnable thread with {@code runnable} threads on the machine. */
    private double speed(double runnable) {
        double cores = machine.cores();
        if (runnable <= cores) {
            return 1;
        }
        double share = cores / runnable;
        double efficiency = 1 / (1 + machine.oversubscriptionLoss() * (runnable / cores - 1));
        return share * efficiency;
    }

    private void applyEvents() {
        for (Pipe pipe : pipes) {
            List<SourceSpec.Change> changes = pipe.spec.source().changes();
            while (pipe.nextChange < changes.size() && changes.get(pipe.nextChange).at() <= now + EPS) {
                SourceSpec.Change c = changes.get(pipe.nextChange++);
                switch (c.kind()) {
                    case RATE -> pipe.rate = c.rate();
                    case IDLE -> pipe.rate = 0;
                    case EXHAUSTED -> {
                        pipe.rate = 0;
                        pipe.exhausted = true;
                    }
                }
                if (!Double.isInfinite(pipe.rate)) {
                    pipe.credit = Math.min(pipe.credit, slack(pipe.rate));
                }
            }
            List<PipelineSpec.Shift> shifts = pipe.spec.shifts();
            while (pipe.nextShift < shifts.size() && shifts.get(pipe.nextShift).at() <= now + EPS) {
                PipelineSpec.Shift sh = shifts.get(pipe.nextShift++);
                for (Node n : pipe.stages) {
                    if (n.spec.name().equals(sh.stage())) {
                        n.cpuFactor = sh.cpuFactor();
                        n.waitFactor = sh.waitFactor();
                        n.extFactor = sh.externalFactor();
                        n.holdLeft = 0;
                    }
                }
            }
            if (Double.isInfinite(pipe.rate)) {
                pipe.credit = Double.POSITIVE_INFINITY;
            } else {
                if (Double.isInfinite(pipe.credit)) {
                    pipe.credit = 0;
                }
                pipe.credit = Math.min(pipe.credit + pipe.rate * dt, Math.max(pipe.rate * dt, slack(pipe.rate)));
            }
        }
        for (Node n : nodes) {
            while (n.leaveCount > 0 && n.leaveAt[0] <= now + EPS) {
                n.live -= n.leaveN[0];
                n.leaving -= n.leaveN[0];
                System.arraycopy(n.leaveAt, 1, n.leaveAt, 0, n.leaveCount - 1);
                System.arraycopy(n.leaveN, 1, n.leaveN, 0, n.leaveCount - 1);
                n.leaveCount--;
            }
        }
    }

    private static double slack(double rate) {
        return rate * SOURCE_SLACK_SECONDS;
    }

    /**
     * The step's flows at speed {@code ph}: a forward pass (each stage takes what its capacity and its
     * input allow, including what its producer emits in this step), then a backward pass (a stage emits
     * no more than its buffer's room, what its consumer takes in this step, and one lump held by each of
     * its workers). Returns the runnable threads the flows imply.
     */
    private double flows(double ph) {
        double runnable = machine.baselineCores() + jitNow() + burstCores + machine.neighbour().coresAt(now);
        for (Pipe pipe : pipes) {
            double avail = pipe.credit;
            Node[] st = pipe.stages;
            for (int i = 0; i < st.length; i++) {
                Node n = st[i];
                n.capacity(ph, dt);
                if (i > 0) {
                    avail = st[i - 1].reachable(avail, n.cap);
                }
                n.f = Math.max(0, Math.min(n.cap, avail));
                n.outLimited = false;
                n.release();
                avail = n.buffer + n.pending + n.released;
            }
            Node last = st[st.length - 1];
            double outside = pipe.spec.consumerRate() * dt;
            pipe.consumed = last.sink ? 0 : Math.min(last.reachable(avail, outside), outside);
            for (int i = st.length - 1; i >= 0; i--) {
                Node n = st[i];
                if (n.sink) {
                    continue;
                }
                double taken = i + 1 < st.length ? st[i + 1].f : pipe.consumed;
                double room = n.prefetch + n.lumpSize * n.live + taken - n.buffer - n.pending;
                if (n.released > room + 1e-9) {
                    n.f = Math.max(0, n.f - (n.released - room) / n.k);
                    n.outLimited = true;
                    n.release();
                }
            }
            for (Node n : st) {
                runnable += n.f / dt * (n.c + n.e) / ph;
            }
        }
        return runnable;
    }

    /**
     * Compiler threads at work: the machine's JIT burst, and, while code warms up from the start (JVM noise),
     * as much CPU as the interpreted code costs extra: reported as overhead, as a JVM reports compile time.
     */
    private double jitNow() {
        double burst = now < machine.jitSeconds() ? machine.jitCores() : 0;
        return burst + noise.startExtra() * Math.exp(-now / noise.warmupSeconds()) * lastPipelineCores;
    }

    private void commit(double ph, double runnable) {
        double cores = machine.cores();
        double g = runnable > cores ? cores / runnable : 1;
        lastRunnable = runnable;
        lastShare = g;
        double cpu = (machine.baselineCores() + jitNow() + burstCores) * g * dt;
        overheadCpu += jitNow() * g * dt;
        double pipelineCpu = 0;
        for (Pipe pipe : pipes) {
            Node[] st = pipe.stages;
            if (!Double.isInfinite(pipe.credit)) {
                pipe.credit = Math.max(0, pipe.credit - st[0].f);
            }
            pipe.taken += st[0].f;
            for (int i = 0; i < st.length; i++) {
                Node n = st[i];
                double f = n.f;
                double lumps = Math.floor(n.cumIn + f + EPS) - Math.floor(n.cumIn + EPS);
                n.cumIn += f;
                n.outReleased += n.released;
                n.consumeNoise(f);
                double time = n.n * dt - n.blockedTime;
                double busy;
                double q;
                if (f <= 0) {
                    busy = 0;
                    q = 0;
                } else if (f >= n.cap * (1 - 1e-9)) {
                    busy = time;
                    q = Math.max(0, busy / f - n.zTime - n.bTime);
                } else {
                    double u = f / n.cap;
                    q = n.qCap * u * u;
                    busy = Math.min(time, f * (n.zTime + n.bTime + q));
                }
                n.busy += busy;
                double idle = Math.max(0, time - busy);
                double waitIn = n.outLimited ? 0 : idle;
                double waitOut = n.blockedTime + (n.outLimited ? idle : 0);
                n.inWait += waitIn;
                n.outWait += waitOut;
                double cpuPhase = f * n.c / ph;
                n.cpu += cpuPhase * g;
                double extPhase = f * n.e / ph;
                cpu += (cpuPhase + extPhase) * g;
                pipelineCpu += (cpuPhase + extPhase) * g;
                n.rCpu = cpuPhase / dt;
                n.rIo = f * n.w / dt;
                n.rExtWait = f * (n.x / ph + (n.queueIsPool ? q : 0)) / dt;
                n.rLock = n.queueIsPool ? 0 : f * q / dt;
                n.rIdle = waitIn / dt;
                n.rOut = waitOut / dt;
                n.rExt = extPhase / dt;
                n.lastService = f > 0 ? busy / f : n.lastService;
                n.lastCap = n.cap;

                double cons = i + 1 < st.length ? st[i + 1].f : pipe.consumed;
                if (n.sink) {
                    pipe.sunk += n.released;
                } else {
                    double total = n.buffer + n.pending + n.released;
                    double rem = Math.max(0, total - cons);
                    double kept = Math.min(rem, Math.max(n.prefetch, n.buffer - cons));
                    n.buffer = Math.max(0, kept);
                    n.pending = Math.max(0, rem - n.buffer);
                    // a lump still held at the end of the step has been waiting since it was released in
                    // it (on average half a step over the lumps released): counted in the next step
                    n.carriedBlock += n.pending > 1e-6 && lumps >= 1
                            ? Math.min(n.live, Math.ceil(n.pending / n.lumpSize - 1e-9)) * 0.5 * dt / lumps : 0;
                }
            }
            if (!st[st.length - 1].sink) {
                pipe.sunk += pipe.consumed;
            }
            finishStages(pipe);
        }
        processCpu += Math.min(cpu, cores * dt);
        machineCpu += Math.min(cpu, cores * dt) + machine.neighbour().coresAt(now) * g * dt;
        lastPipelineCores = pipelineCpu / dt;
    }

    /** With an exhausted source, stages finish one after another as their input runs out. */
    private void finishStages(Pipe pipe) {
        if (!pipe.exhausted) {
            return;
        }
        Node[] st = pipe.stages;
        for (int i = 0; i < st.length; i++) {
            Node n = st[i];
            if (n.finished) {
                continue;
            }
            boolean inputDone = i == 0 ? pipe.credit <= EPS
                    : st[i - 1].finished && st[i - 1].buffer + st[i - 1].pending <= 1e-6;
            if (inputDone && n.pending <= 1e-6) {
                n.finished = true;
                n.live = 0;
                n.leaving = 0;
                n.leaveCount = 0;
            } else {
                return;
            }
        }
    }

    /** One sampling tick: buffers, off-CPU and lock time, the way the agent's sampler sees them. */
    private void sample(double tick) {
        for (Node n : nodes) {
            if (!n.sink && n.prefetch >= 1) {
                n.samples++;
                double level = Math.floor(n.buffer + 1e-6);
                if (level >= n.prefetch) {
                    n.full++;
                } else if (level <= 0) {
                    n.empty++;
                }
            }
            if (n.live <= 0) {
                continue;
            }
            double off = n.rIo + n.rLock + n.rExtWait;
            int offCount = binomial(n.live, Math.min(1, off / n.live));
            n.offCpu += offCount * tick;
            if (offCount > 0 && n.rLock > 0) {
                n.lock += binomial(offCount, Math.min(1, n.rLock / off)) * tick;
            }
        }
    }

    private int binomial(int trials, double p) {
        if (p <= 0 || trials <= 0) {
            return 0;
        }
        if (p >= 1) {
            return trials;
        }
        if (trials <= 24) {
            int k = 0;
            for (int i = 0; i < trials; i++) {
                if (rng.nextDouble() < p) {
                    k++;
                }
            }
            return k;
        }
        double mean = trials * p;
        double sd = Math.sqrt(mean * (1 - p));
        long k = Math.round(mean + sd * rng.nextGaussian());
        return (int) Math.max(0, Math.min(trials, k));
    }

    // ------------------------------------------------------------------ snapshot

    /** What the agent would hand the engine now. */
    public ProcessSnapshot snapshot() {
        List<StageSnapshot> stages = new ArrayList<>(nodes.length);
        Map<String, Integer> process = new TreeMap<>();
        for (Node n : nodes) {
            Map<String, Integer> states = n.threadStates();
            states.forEach((k, v) -> process.merge(k, v, Integer::sum));
            stages.add(new StageSnapshot(n.id, n.pipeline,
                    n.p, n.spec.minParallelism(), n.spec.maxParallelism(),
                    n.sink ? -1 : n.prefetch, n.spec.minPrefetch(), n.spec.maxPrefetch(),
                    (long) Math.floor(n.cumIn + 1e-6), nanos(n.busy), nanos(n.inWait), nanos(n.outWait),
                    n.sink ? 0 : (int) Math.min(Integer.MAX_VALUE, Math.floor(n.buffer + 1e-6)),
                    nanos(n.cpu), nanos(n.offCpu), nanos(n.lock), states,
                    new StageSnapshot.Occupancy(n.samples, n.full, n.empty),
                    n.spec.serialFraction() > 0
                            ? new LockSite("the lock of " + n.id, null, 0, 1, LockSite.FoundBy.THREAD_DUMPS) : null));
            if (n.spec.externalCpu() > 0) {
                int threads = n.spec.externalThreads();
                int running = (int) Math.min(threads, Math.round(n.rExt));
                add(process, "RUNNABLE", running);
                add(process, "WAITING", threads - running);
            }
        }
        int base = machine.baselineThreads();
        int runnable = Math.min(base, 2);
        add(process, "RUNNABLE", runnable);
        add(process, "WAITING", (base - runnable) / 2);
        add(process, "TIMED_WAITING", base - runnable - (base - runnable) / 2);
        return new ProcessSnapshot(nanos(now), nanos(processCpu), nanos(overheadCpu), liveHeapBytes(), machineLoad(),
                process, stages);
    }

    /** Share of the machine's cores busy (this process and its neighbour) since the last snapshot; -1 at the first. */
    private double machineLoad() {
        double load = snapshotAt < 0 || now <= snapshotAt ? -1
                : Math.min(1, (machineCpu - snapshotMachineCpu) / (machine.cores() * (now - snapshotAt)));
        snapshotAt = now;
        snapshotMachineCpu = machineCpu;
        return load;
    }

    private static void add(Map<String, Integer> states, String state, int count) {
        if (count > 0) {
            states.merge(state, count, Integer::sum);
        }
    }

    private long liveHeapBytes() {
        double bytes = machine.heapBaseBytes();
        for (Node n : nodes) {
            bytes += n.spec.bytesPerItem() * (n.buffer + n.pending);
        }
        return (long) bytes;
    }

    private static long nanos(double seconds) {
        return Math.round(seconds * 1e9);
    }

    // ------------------------------------------------------------------ actuator

    @Override
    public boolean apply(String stage, Knob knob, int value) {
        Node n = byId.get(stage);
        if (n == null) {
            return false;
        }
        if (knob == Knob.PARALLELISM) {
            if (value < n.spec.minParallelism() || value > n.spec.maxParallelism()) {
                return false;
            }
            if (value != n.p) {
                n.resizedAt = now;
            }
            n.resize(value, now, dt);
            return true;
        }
        if (n.sink || value < n.spec.minPrefetch() || value > n.spec.maxPrefetch()) {
            return false;
        }
        n.prefetch = value;
        return true;
    }

    // ------------------------------------------------------------------ inspection (tests, benchmark)

    public List<String> stageIds() {
        List<String> ids = new ArrayList<>();
        for (Node n : nodes) {
            ids.add(n.id);
        }
        return ids;
    }

    private Node node(String id) {
        Node n = byId.get(id);
        if (n == null) {
            throw new IllegalArgumentException("no stage " + id);
        }
        return n;
    }

    private Pipe pipe(String name) {
        for (Pipe p : pipes) {
            if (p.spec.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no pipeline " + name);
    }

    /** Items the stage has taken so far (fractional: the model's exact count). */
    public double itemsTaken(String stage) {
        return node(stage).cumIn;
    }

    /** Items the stage has emitted so far (released into its buffer, pending, or out of a sink). */
    public double itemsEmitted(String stage) {
        return node(stage).outReleased;
    }

    /** Items in the stage's output buffer now (exact). */
    public double buffered(String stage) {
        return node(stage).buffer;
    }

    /** Items its blocked workers hold, waiting for room in the buffer. */
    public double pending(String stage) {
        return node(stage).pending;
    }

    /** Taken items whose outputs are not released yet (the part of an item in progress). */
    public double inProgress(String stage) {
        Node n = node(stage);
        return n.cumIn - Math.floor(n.cumIn + EPS);
    }

    public int parallelism(String stage) {
        return node(stage).p;
    }

    public int liveWorkers(String stage) {
        return node(stage).live;
    }

    public int prefetch(String stage) {
        return node(stage).prefetch;
    }

    /** Items the pipeline's first stage took from the source so far. */
    public double sourceItemsTaken(String pipeline) {
        return pipe(pipeline).taken;
    }

    /** Items that left the pipeline: emitted by its sink, or taken from its last buffer by the consumer. */
    public double itemsOut(String pipeline) {
        return pipe(pipeline).sunk;
    }

    /**
     * Source items the pipeline has carried all the way through so far: what left it (taken by its sink,
     * or by the consumer from its last buffer) over the items per source item at that point. The
     * pipeline's throughput in one unit whatever the fan-outs, and not inflated while buffers fill.
     */
    public double sourceItemsDone(String pipeline) {
        Pipe p = pipe(pipeline);
        Node last = p.stages[p.stages.length - 1];
        return last.sink ? last.cumIn / last.m : p.sunk / (last.m * last.k);
    }

    public double processCpuSeconds() {
        return processCpu;
    }

    /** Runnable threads in the last step (pipeline workers on CPU, external pool threads at work, baseline). */
    public double runnableThreads() {
        return lastRunnable;
    }

    /** Share of a core each runnable thread got in the last step. */
    public double coreShare() {
        return lastShare;
    }

    // ------------------------------------------------------------------ state

    private static final class Pipe {
        final PipelineSpec spec;
        final Node[] stages;
        double rate;
        boolean exhausted;
        double credit;
        double consumed;
        double taken;
        double sunk;
        int nextChange;
        int nextShift;

        Pipe(PipelineSpec spec, Node[] stages) {
            this.spec = spec;
            this.stages = stages;
            this.rate = spec.source().maxRate();
            this.credit = Double.isInfinite(rate) ? Double.POSITIVE_INFINITY : 0;
        }
    }

    private final class Node {
        final StageSpec spec;
        final String id;
        final String pipeline;
        final double k;
        final double m;
        final double serial;
        final boolean sink;
        final double noiseCv;

        int p;
        int live;
        int leaving;
        double[] leaveAt = new double[4];
        int[] leaveN = new int[4];
        int leaveCount;
        int prefetch;
        boolean finished;
        double cpuFactor = 1;
        double waitFactor = 1;
        double extFactor = 1;
        /** When it was last resized (its warm-up after the change), or -1. */
        double resizedAt = -1;

        // fluid state
        double cumIn;
        double outReleased;
        double buffer;
        double pending;
        /** Workers holding outputs at the start of the step, and the worker-time they stay blocked in it. */
        int blocked;
        double blockedTime;
        final double lumpSize;
        boolean outLimited;
        double lastCap;
        double carriedBlock;
        Node consumer;
        Pipe pipe;

        // counters, seconds
        double busy;
        double inWait;
        double outWait;
        double cpu;
        double offCpu;
        double lock;
        long samples;
        long full;
        long empty;

        // noise: factor z for holdLeft more items, then zNext for holdNext items
        double z = 1;
        double holdLeft;
        double zNext = 1;
        double holdNext;
        double nextHold;

        // this step
        int n;
        double c;
        double w;
        double e;
        double x;
        double zTime;
        double bTime;
        boolean queueIsPool;
        double cap;
        double qCap;
        double f;
        double released;

        // last step, per second: workers (or pool threads) in each state
        double rCpu;
        double rIo;
        double rExtWait;
        double rLock;
        double rIdle;
        double rOut;
        double rExt;
        double lastService;

        // Erlang B cache
        int erlangN = -1;
        double erlangTau = Double.NaN;
        double erlangBlocked;

        Node(PipelineSpec pipelineSpec, StageSpec spec, int index, double m) {
            this.spec = spec;
            this.pipeline = pipelineSpec.name();
            this.id = pipeline + "/" + spec.name();
            this.k = spec.fanOut();
            this.m = m;
            this.serial = spec.serialFraction();
            this.sink = spec.isSink();
            this.noiseCv = spec.noiseCv();
            this.p = spec.parallelism();
            this.live = p;
            this.prefetch = spec.prefetch();
            this.lastService = spec.serviceTime();
            this.lumpSize = Math.max(1, Math.ceil(k - 1e-9));
        }

        /**
         * What a consumer able to take {@code capacity} items in the step can reach of {@code avail}, this
         * stage's buffered and held items plus what it releases in the step: the lumps it releases arrive
         * spread over the step (the j-th of m at (j - 1/2) / m of it), and a lump's items can only be
         * taken after it arrived. Without this a consumer would use its whole step on a lump released
         * at the step's end.
         */
        double reachable(double avail, double capacity) {
            double lumps = Math.floor(cumIn + f + EPS) - Math.floor(cumIn + EPS);
            if (released <= 0 || lumps < 1 || lumps > 64 || Double.isInfinite(capacity)) {
                return avail;
            }
            double lump = released / lumps;
            double before = buffer + pending;
            double bound = before + Math.min(capacity * (1 - 0.5 / lumps), (lumps - 1) * lump + 0.5 * capacity / lumps);
            return Math.min(avail, bound);
        }

        /** Outputs released by taking {@code f} more items: {@code fanOut} per whole item completed. */
        void release() {
            double whole = Math.floor(cumIn + f + EPS);
            double outTotal = Math.floor(k * whole + EPS);
            released = Math.max(0, outTotal - outReleased);
        }

        double nominalService() {
            double ext = spec.externalCpu() > 0 ? spec.externalCpu() * extFactor / spec.externalThreads() : 0;
            return spec.cpu() * cpuFactor + spec.waitTime() * waitFactor + ext;
        }

        void prepare() {
            blocked = pending > 1e-6 ? (int) Math.min(live, Math.ceil(pending / lumpSize - 1e-9)) : 0;
            blockedTime = 0;
            double owed = carriedBlock;
            if (blocked > 0) {
                // The held items enter the buffer as the consumer takes from it (from a full buffer: at its
                // capacity in the last step); each worker goes back to work once its lump is in: on average
                // after (b + 1) / 2b of the drain.
                double drain = consumer != null ? consumer.lastCap / dt : pipe.spec.consumerRate();
                double clear = drain > 0 ? Math.min(dt, pending / drain) : dt;
                owed += clear * (blocked + 1) / 2.0;
            }
            // a wait longer than a step goes on into the next one
            blockedTime = Math.min(Math.max(blocked, owed > 0 ? 1 : 0) * dt, owed);
            blockedTime = Math.min(blockedTime, live * dt);
            carriedBlock = Math.min(owed - blockedTime, live * dt);
            if (holdLeft <= 0) {
                // first step, or a shift: start a fresh draw
                z = draw();
                holdLeft = nextHold;
                zNext = draw();
                holdNext = nextHold;
            }
        }

        /**
         * A noise factor for the next {@code nextHold} items: the items a real stage averages over about
         * two steps or one item time, with the CV of their mean.
         */
        double draw() {
            double s0 = nominalService();
            double items = Math.max(1, Math.max(1, live) * Math.max(2 * dt, s0) / s0);
            nextHold = items;
            double cv = noiseCv / Math.sqrt(items);
            if (cv <= 0) {
                return 1;
            }
            double s2 = Math.log(1 + cv * cv);
            return Math.exp(Math.sqrt(s2) * rng.nextGaussian() - s2 / 2);
        }

        /** Moves the noise on by {@code items} processed: the draw changes exactly at its last item. */
        void consumeNoise(double items) {
            holdLeft -= items;
            while (holdLeft <= 1e-12) {
                z = zNext;
                holdLeft += holdNext;
                zNext = draw();
                holdNext = nextHold;
            }
        }

        void capacity(double ph, double dt) {
            n = finished ? 0 : live;
            // Per-item costs without noise first: every cost carries the noise factor, so the rate is
            // exactly rate1 / z and the step may switch draws at the item where the current one ends.
            double idleShare = live > 0 ? Math.min(1, rIdle / live) : 0;
            double c1 = spec.cpu() * cpuFactor * warm(resizedAt) + noise.wakeCpu() * idleShare;
            double w1 = spec.waitTime() * waitFactor;
            double e1 = spec.externalCpu() * extFactor;
            double x1 = e1 > 0 ? e1 / spec.externalThreads() : 0;
            // Two single servers a worker may queue for: the lock (its serial CPU) and the shared pool (the
            // item's external CPU spread over the pool's threads). The slower is the queue; the rest of the
            // item's time is the delay station.
            double lockTime = serial * c1 / ph;
            double poolTime = x1 / ph;
            queueIsPool = poolTime > lockTime;
            double b1 = queueIsPool ? poolTime : lockTime;
            double z1 = c1 / ph + w1 + x1 / ph - b1;
            double rate1;
            if (n == 0) {
                rate1 = 0;
            } else if (b1 <= 0) {
                rate1 = n / z1;
            } else if (z1 <= 0) {
                rate1 = 1 / b1;
            } else {
                double tau = z1 / b1;
                if (n != erlangN || tau != erlangTau) {
                    double b = 1;
                    for (int j = 1; j <= n; j++) {
                        b = tau * b / (j + tau * b);
                    }
                    erlangN = n;
                    erlangTau = tau;
                    erlangBlocked = b;
                }
                rate1 = (1 - erlangBlocked) / b1;
            }
            double zEff = z;
            if (rate1 > 0) {
                double current = rate1 / z * Math.max(0, dt - blockedTime / n);
                if (current > holdLeft) {
                    double span = Math.max(0, dt - blockedTime / n);
                    double t1 = holdLeft / (rate1 / z);
                    double items = holdLeft + rate1 / zNext * (span - t1);
                    zEff = rate1 * span / items;
                }
            }
            c = c1 * zEff;
            w = w1 * zEff;
            e = e1 * zEff;
            x = x1 * zEff;
            bTime = b1 * zEff;
            zTime = z1 * zEff;
            if (n == 0) {
                cap = 0;
                qCap = 0;
                return;
            }
            double rate = rate1 / zEff;
            cap = rate * Math.max(0, dt - blockedTime / n);
            qCap = Math.max(0, n / rate - zTime - bTime);
        }

        void resize(int value, double now, double dt) {
            if (finished) {
                p = value;
                return;
            }
            int active = live - leaving;
            if (value > active) {
                int need = value - active;
                while (need > 0 && leaveCount > 0) {
                    int last = leaveCount - 1;
                    int keep = Math.min(need, leaveN[last]);
                    leaveN[last] -= keep;
                    leaving -= keep;
                    need -= keep;
                    if (leaveN[last] == 0) {
                        leaveCount--;
                    }
                }
                live += need;
            } else if (value < active) {
                int surplus = active - value;
                int idleNow = (int) Math.floor(rIdle + 1e-9);
                int now0 = Math.min(surplus, Math.max(0, idleNow));
                live -= now0;
                int later = surplus - now0;
                if (later > 0) {
                    if (leaveCount == leaveAt.length) {
                        leaveAt = java.util.Arrays.copyOf(leaveAt, leaveCount * 2);
                        leaveN = java.util.Arrays.copyOf(leaveN, leaveCount * 2);
                    }
                    double at = now + Math.max(dt, lastService / 2);
                    int pos = leaveCount;
                    while (pos > 0 && leaveAt[pos - 1] > at) {
                        leaveAt[pos] = leaveAt[pos - 1];
                        leaveN[pos] = leaveN[pos - 1];
                        pos--;
                    }
                    leaveAt[pos] = at;
                    leaveN[pos] = later;
                    leaveCount++;
                    leaving += later;
                }
            }
            p = value;
        }

        /** Its workers by Java thread state, from the last step's mean state, summing to the live workers. */
        Map<String, Integer> threadStates() {
            Map<String, Integer> states = new LinkedHashMap<>();
            if (live <= 0) {
                return states;
            }
            String io = spec.ioThreadState();
            double[] counts = new double[4];
            String[] names = {"RUNNABLE", "BLOCKED", "WAITING", "TIMED_WAITING"};
            counts[0] = rCpu;
            counts[1] = rLock;
            counts[2] = rExtWait;
            counts[3] = rIdle + rOut;
            int ioSlot = io.equals("RUNNABLE") ? 0 : io.equals("WAITING") ? 2 : 3;
            counts[ioSlot] += rIo;
            double sum = 0;
            for (double v : counts) {
                sum += v;
            }
            if (sum <= 0) {
                counts[3] = live;
                sum = live;
            }
            int[] whole = new int[4];
            int assigned = 0;
            for (int i = 0; i < 4; i++) {
                counts[i] = counts[i] * live / sum;
                whole[i] = (int) Math.floor(counts[i]);
                assigned += whole[i];
            }
            while (assigned < live) {
                int best = 0;
                double bestRem = -1;
                for (int i = 0; i < 4; i++) {
                    double rem = counts[i] - whole[i];
                    if (rem > bestRem) {
                        bestRem = rem;
                        best = i;
                    }
                }
                whole[best]++;
                counts[best] = whole[best];
                assigned++;
            }
            for (int i = 0; i < 4; i++) {
                if (whole[i] > 0) {
                    states.put(names[i], whole[i]);
                }
            }
            return states;
        }
    }
}
