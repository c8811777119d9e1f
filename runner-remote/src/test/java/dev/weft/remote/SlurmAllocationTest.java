package dev.weft.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a worker and a driver read from SLURM's variables: the same cluster, and the allocation's share. */
final class SlurmAllocationTest {
    private static Map<String, String> job(String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("SLURM_JOB_ID", "4242");
        env.put("SLURM_JOB_NODELIST", "node[01-02]");
        env.put("SLURMD_NODENAME", "node02");
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void shouldExpandSlurmHostLists() {
        assertThat(SlurmAllocation.expand("vm")).containsExactly("vm");
        assertThat(SlurmAllocation.expand("node[01-03,07],gpu7"))
                .containsExactly("node01", "node02", "node03", "node07", "gpu7");
        assertThat(SlurmAllocation.expand("rack[1-2]-n[8-10]"))
                .containsExactly("rack1-n8", "rack1-n9", "rack1-n10", "rack2-n8", "rack2-n9", "rack2-n10");
        assertThat(SlurmAllocation.expand("a[009-011]")).containsExactly("a009", "a010", "a011");
        assertThatThrownBy(() -> SlurmAllocation.expand("node[01-"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Cannot read the SLURM host list 'node[01-'");
        assertThatThrownBy(() -> SlurmAllocation.expand("node[x-y]")).hasMessageContaining("'x-y' is not a range");
    }

    @Test
    void shouldNameTheClusterAfterTheJobSoThatJobsSharingANodeNeverMeet() {
        SlurmAllocation a = SlurmAllocation.of(job());
        SlurmAllocation b = SlurmAllocation.of(job("SLURM_JOB_ID", "4243"));

        assertThat(a.clusterName()).isEqualTo("slurm-4242");
        assertThat(b.clusterName()).isEqualTo("slurm-4243");
        assertThat(a.nodes()).containsExactly("node01", "node02");
        assertThat(a.node()).isEqualTo("node02");
    }

    @Test
    void shouldTakeThreadsAndGpusFromTheAllocationNeverFromTheHost() {
        assertThat(SlurmAllocation.of(job("SLURM_CPUS_PER_TASK", "6")).cpusPerTask())
                .isEqualTo(6);
        SlurmAllocation shared =
                SlurmAllocation.of(job("SLURM_JOB_CPUS_PER_NODE", "8(x2)", "SLURM_TASKS_PER_NODE", "4,2"));
        assertThat(shared.cpusPerTask()).as("node02's 8 CPUs among its 2 tasks").isEqualTo(4);
        assertThat(SlurmAllocation.of(job()).cpusPerTask())
                .as("nothing said: one")
                .isEqualTo(1);

        assertThat(SlurmAllocation.of(job("SLURM_GPUS_PER_TASK", "a100:2")).gpusPerTask())
                .isEqualTo(2);
        assertThat(SlurmAllocation.of(job("SLURM_GPUS_ON_NODE", "4", "SLURM_TASKS_PER_NODE", "2(x2)"))
                        .gpusPerTask())
                .isEqualTo(2);
        assertThat(SlurmAllocation.of(job()).gpusPerTask()).isZero();
    }

    @Test
    void shouldGiveEachTaskOfANodeItsOwnPortsAndEveryoneTheSameMembers() {
        Map<String, String> first = job("SLURM_TASKS_PER_NODE", "2(x2)", "SLURM_LOCALID", "0", "SLURM_NTASKS", "4");
        Map<String, String> second = job("SLURM_TASKS_PER_NODE", "2(x2)", "SLURM_LOCALID", "1", "SLURM_NTASKS", "4");
        SlurmAllocation a = SlurmAllocation.of(first);
        SlurmAllocation b = SlurmAllocation.of(second);

        assertThat(a.ports(6000)).containsExactly(6000, 6002, 6004, 6006);
        assertThat(b.ports(6000)).containsExactly(6001, 6003, 6005, 6007);
        List<String> members = a.members(6000, null);
        assertThat(members).hasSize(16).contains("node01:6000", "node01:6007", "node02:6007");
        assertThat(b.members(6000, null)).isEqualTo(members);
        assertThat(a.members(6000, "10.0.0.2"))
                .as("its own node by the address it binds")
                .contains("10.0.0.2:6000", "node01:6000")
                .doesNotContain("node02:6000");
        assertThat(a.tasks()).isEqualTo(4);
    }

    @Test
    void shouldSayWhenThisIsNoSlurmJob() {
        assertThatThrownBy(() -> SlurmAllocation.of(Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("SLURM_JOB_ID is not set: is this process inside a SLURM job?");
        assertThatThrownBy(() -> SlurmAllocation.of(Map.of("SLURM_JOB_ID", "1")))
                .hasMessage("SLURM_JOB_NODELIST is not set: is this process inside a SLURM job?");
        assertThatThrownBy(() -> SlurmAllocation.interfaceAddress("nosuch0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("this machine has no network interface 'nosuch0'; it has [");
        assertThat(SlurmAllocation.interfaceAddress("lo")).isEqualTo("127.0.0.1");
    }
}
