package dev.nvjrun.driver.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequirementCheckTest {

    private static final HostDriver DRIVER = new HostDriver("550.54.15", "12.4");
    private static final HostGpu A100 = new HostGpu(0, "GPU-a", 0, "", "Ampere", "nvidia", "8.0", List.of());
    private static final HostGpu T4 = new HostGpu(1, "GPU-t", 1, "", "Turing", "tesla", "7.5", List.of());
    /** What nvidia/cuda:12.4.1 images carry. */
    private static final String CUDA_IMAGE = "cuda>=12.4 brand=tesla,driver>=470,driver<471 "
            + "brand=unknown,driver>=470,driver<471 brand=nvidia,driver>=470,driver<471";

    private final RequirementCheck check = new RequirementCheck(DRIVER);

    private void verify(String expression, HostGpu... gpus) throws GpuRequestException {
        check.verify(List.of(new RequirementText("NVIDIA_REQUIRE_TEST", expression)), List.of(gpus));
    }

    private String refusal(String expression, HostGpu... gpus) {
        return assertThrows(GpuRequestException.class, () -> verify(expression, gpus)).getMessage();
    }

    @ParameterizedTest
    @ValueSource(strings = {"cuda>=12.4", "cuda>=12", "cuda<12.5", "cuda=12.4.0", "cuda!=12.3", "driver>=550",
            "driver>550.54.14", "driver<=550.54.15", "arch>=8.0", "brand=nvidia", "brand!=tesla", "BRAND=NVIDIA", ""})
    void acceptsConditionsThatHold(String expression) throws Exception {
        verify(expression, A100);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cuda>=12.6", "cuda>12.4", "driver<550", "driver=550.54", "arch<8", "brand=tesla"})
    void refusesConditionsThatDoNotHold(String expression) {
        assertTrue(refusal(expression, A100).startsWith("unsatisfied condition"));
    }

    @Test
    void anyAlternativeMaySatisfyTheRequirement() throws Exception {
        verify("cuda>=13.0 driver>=550", A100);
    }

    @Test
    void allConditionsOfAnAlternativeMustHold() {
        assertTrue(refusal("driver>=550,brand=tesla", A100).contains("brand=tesla"));
    }

    @Test
    void theCudaImageRequirementHoldsOnANewerDriver() throws Exception {
        verify(CUDA_IMAGE, A100, T4);
    }

    @Test
    void aNewerCudaImageNamesTheHostsVersionsAndTheFix() {
        String message = refusal(CUDA_IMAGE.replace("cuda>=12.4", "cuda>=12.6"), A100);
        assertTrue(message.contains("cuda>=12.6"), message);
        assertTrue(message.contains("driver 550.54.15 with CUDA 12.4"), message);
        assertTrue(message.contains("NVIDIA_DISABLE_REQUIRE"), message);
    }

    @Test
    void gpuConditionsAreCheckedOnEverySelectedGpu() {
        String message = refusal("arch>=8.0", A100, T4);
        assertTrue(message.contains("GPU 1 (GPU-t) has compute capability 7.5"), message);
    }

    @Test
    void gpuConditionsHoldWhenNoGpuIsSelected() throws Exception {
        verify("arch>=9.0,brand=quadro");
    }

    @Test
    void driverConditionsAreCheckedWithoutGpus() {
        assertTrue(refusal("driver>=560").contains("install a driver whose version satisfies driver>=560"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cuda", "cuda>>12", "cuda=>12", "foo>=1", "brand>tesla", "cuda>=abc", ">=12", "cuda>=",
            "arch>=8.x"})
    void refusesMalformedExpressionsNamingTheHost(String expression) {
        String message = refusal(expression, A100);
        assertTrue(message.startsWith("malformed condition"), message);
        assertTrue(message.contains("550.54.15") && message.contains("CUDA 12.4"), message);
    }

    @Test
    void parsesAlternativesAndConditions() throws Exception {
        List<List<Condition>> parsed = check.parse(new RequirementText("X", "cuda>=12.4  brand=tesla,driver<471"));
        assertEquals(List.of(List.of(new Condition(Condition.Subject.CUDA, Operator.GREATER_EQUAL, "12.4")),
                List.of(new Condition(Condition.Subject.BRAND, Operator.EQUAL, "tesla"),
                        new Condition(Condition.Subject.DRIVER, Operator.LESS, "471"))), parsed);
    }

    @Test
    void comparesVersionsPartByPart() {
        assertTrue(DottedVersion.compare("12.10", "12.9") > 0);
        assertEquals(0, DottedVersion.compare("12.4", "12.4.0.0"));
        assertTrue(DottedVersion.compare("12.4", "12.4.1") < 0);
    }
}
