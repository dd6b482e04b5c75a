package io.tracemark.trace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium for page tests: the system's {@code chromium} driven through its
 * {@code chromedriver} (Debian packages chromium and chromium-driver, which .ci/run installs).
 * Nothing is downloaded: without the two binaries the test fails and says which one is missing.
 *
 * <p>Sizes are CSS pixels; {@link #PHONE} is a common small phone, {@link #DESKTOP} a laptop.
 */
public final class Browser implements AutoCloseable {

    public static final Dimension PHONE = new Dimension(390, 844);
    public static final Dimension DESKTOP = new Dimension(1280, 900);

    /** How long a page may take to show what a test waits for. */
    public static final Duration PAGE_TIMEOUT = Duration.ofSeconds(15);

    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("TRACEMARK_CHROMIUM", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("TRACEMARK_CHROMEDRIVER", "/usr/bin/chromedriver"));

    private final ChromeDriver driver;
    private final URI base;

    private Browser(ChromeDriver driver, URI base) {
        this.driver = driver;
        this.base = base;
    }

    /**
     * Starts a headless browser of the given size whose relative paths go to {@code base}.
     *
     * @param language the Accept-Language the browser sends, e.g. "en" or "zh-CN"
     */
    public static Browser open(URI base, Dimension size, String language) {
        require(CHROMIUM, "chromium");
        require(CHROMEDRIVER, "chromium-driver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--no-first-run", "--disable-extensions", "--hide-scrollbars", "--force-device-scale-factor=1",
                "--window-size=" + size.getWidth() + "," + size.getHeight(), "--lang=" + language);
        options.setExperimentalOption("prefs", java.util.Map.of("intl.accept_languages", language));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(PAGE_TIMEOUT);
        return new Browser(driver, base);
    }

    /** Starts a headless browser of the given size, in English, whose relative paths go to {@code base}. */
    public static Browser open(URI base, Dimension size) {
        return open(base, size, "en");
    }

    private static void require(Path binary, String debianPackage) {
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(binary + " is missing: install the Debian package " + debianPackage
                    + " (.ci/run does)");
        }
    }

    public WebDriver driver() {
        return driver;
    }

    /** Opens a path of the service (or a full URL). */
    public Browser go(String path) {
        driver.get(base.resolve(path).toString());
        return this;
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    /** The visible text of the first element matching the selector. */
    public String text(String css) {
        return find(css).getText();
    }

    /** Waits until the condition holds, up to {@link #PAGE_TIMEOUT}. */
    public <T> T await(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, PAGE_TIMEOUT).until(condition);
    }

    /** Saves what the browser shows as a PNG, creating the folder when needed. */
    public Path screenshot(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole page as a PNG, at the window's width: for pages longer than the window. */
    public Path fullPageScreenshot(Path file) {
        Dimension window = driver.manage().window().getSize();
        Number height = (Number) driver.executeScript(
                "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)");
        driver.manage().window().setSize(new Dimension(window.getWidth(), Math.max(window.getHeight(), height.intValue())));
        try {
            return screenshot(file);
        } finally {
            driver.manage().window().setSize(window);
        }
    }

    /** Bytes of what the browser shows, for checks that need no file. */
    public byte[] screenshot() {
        return ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
